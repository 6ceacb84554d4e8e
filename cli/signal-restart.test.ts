/**
 * The signaling server process is killed and started again while two real `quintet` members (real WebRTC) stay
 * meshed in a continuous session: a change still syncs during the outage, and once the server is back the session
 * re-homes there and a third member joins with the same invite (docs/protocol.md §8, Signaling offline).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { type CliProcess, eventually, sessionOf, spawnQuintet } from './cli-process.ts';
import { SIGNAL_LINES } from './cloud-follow.ts';

/** Three times what a change takes to cross on a quiet machine through the outage and the re-home's backoff. */
const SLOW = 90_000;

const SERVER = fileURLToPath(new URL('../signaling/node.ts', import.meta.url));

/** A port free now (the server is started on it twice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** `node signaling/node.ts` as its own process (what `npm start` runs); resolves once it listens. */
function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Quintet on')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL'); // no goodbye to anyone: the sockets just die, as when the host goes down
  });
}

async function contents(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (entry.name !== '.quintet' && entry.isFile()) out[entry.name] = await readFile(join(root, entry.name), 'utf8');
  }
  return out;
}


const running: CliProcess[] = [];
const servers: ChildProcess[] = [];
const quintet = async (args: string[]) => {
  const p = spawnQuintet(args, { QUINTET_STATE_DIR: await tempDir('quintet-state-') });
  running.push(p);
  return p;
};

describe('the signaling server restarts under a continuous session', () => {
  afterAll(async () => {
    await Promise.all(running.map((p) => p.interrupt()));
    await Promise.all(servers.map(kill));
    await removeTempDirs();
  });

  it('the members stay meshed and keep syncing while it is down, re-home when it is back, and a new member joins', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    servers.push(await startServer(port));
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await seedDir(a, { 'from-a.txt': 'from A' });
    const leader = await quintet(['create', '--source', a, '--server', url, '--name', 'nas', '--continuous']);
    const { link } = await sessionOf(leader);
    await leader.line(/^Continuous synchronization on/m);
    const member = await quintet(['join', link, '--source', b, '--server', url, '--name', 'office']);
    await eventually(async () => (await contents(b))['from-a.txt'] === 'from A', SLOW);

    await kill(servers[0]!);
    await leader.line(new RegExp(`^${escape(SIGNAL_LINES.offline)}`, 'm'));
    await member.line(new RegExp(`^${escape(SIGNAL_LINES.offline)}`, 'm'));
    await writeFile(join(b, 'during-outage.txt'), 'made on B while the server was down');
    await eventually(async () => (await contents(a))['during-outage.txt'] === 'made on B while the server was down', SLOW);
    expect(leader.stdout()).not.toMatch(/The session ended/);
    expect(member.stdout()).not.toMatch(/The session ended/);

    servers.push(await startServer(port));
    await leader.line(new RegExp(`^${escape(SIGNAL_LINES.online)}`, 'm'));
    await member.line(new RegExp(`^${escape(SIGNAL_LINES.online)}`, 'm'));
    const third = await quintet(['join', link, '--source', c, '--server', url, '--name', 'laptop']);
    await third.line(/^Joined/m);
    await eventually(async () => {
      const got = await contents(c);
      return got['from-a.txt'] === 'from A' && got['during-outage.txt'] === 'made on B while the server was down';
    }, SLOW);
    await writeFile(join(c, 'from-c.txt'), 'from C');
    await eventually(async () => (await contents(a))['from-c.txt'] === 'from C' && (await contents(b))['from-c.txt'] === 'from C', SLOW);
    for (const p of [third, member, leader]) expect(await p.interrupt(), p.stderr()).toBe(130);
  }, 240_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
