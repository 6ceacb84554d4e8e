/** `quintet create` and `quintet join` as two real processes through a real signaling server: a Mirror, a wrong password, a server down. */
import { withSignalingServer } from './test-server.ts';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmod, readdir, readFile, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../signaling/config.ts';
import { startNodeServer } from '../signaling/node-server.ts';
import { generatePassword } from '../core/crypto/password.ts';
import { nodeRandom } from '../adapters/node/cloud-deps.ts';
import { seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { quintetRunner, sessionOf } from './cli-process.ts';

/** Every file under `root` (Quintet's own folder aside) with its bytes, for byte-for-byte equality. */
async function contents(root: string, rel = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (path === '.quintet') continue;
    if (entry.isDirectory()) Object.assign(out, { [path]: 'dir' }, await contents(root, path));
    else out[path] = (await readFile(join(root, path))).toString('base64');
  }
  return out;
}

const { running, quintet } = quintetRunner();

describe('quintet create / join', () => {
  const server = withSignalingServer(running);

  it('prints help for create and join', () => {
    const bin = fileURLToPath(new URL('./quintet.cjs', import.meta.url));
    for (const sub of ['create', 'join']) {
      const help = spawnSync(process.execPath, [bin, sub, '--help'], { encoding: 'utf8', env: { ...process.env, QUINTET_LANG: 'en' } });
      expect(help.status, sub).toBe(0);
      expect(help.stdout).toContain(`Usage: quintet ${sub}`);
    }
  });

  it('a leader mirrors A1 → B1 to a member in another process: files equal, leader exits 0, member leaves on Ctrl-C', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'docs': { 'report.txt': 'quarterly report', 'big.bin': new Uint8Array(3_000_000).map((_, i) => (i * 7) % 251) }, 'top.txt': 'top', 'empty': {} });
    await seedDir(b, { 'docs': { 'report.txt': 'stale' }, 'only-b.txt': 'B had this' });
    const leader = await quintet(['create', '--source', a, '--server', server.url, '--name', 'nas', '--preset', 'mirror', '--from', 'A1', '--to', 'B1', '--yes', '--members', '2']);
    const { link } = await sessionOf(leader);
    expect(link).toMatch(new RegExp(`^${server.url}/#join=\\d{3}-[A-Z]{3}-\\d{3}&pw=`));
    const member = await quintet(['join', link, '--source', b, '--server', server.url, '--name', 'office']);
    await member.line(/^Members: A nas \[A1 \S+\] \| B office\* \[B1 \S+\]$/m);

    expect(await leader.exited, leader.stderr()).toBe(0);
    expect(leader.stdout()).toMatch(/^B office: 5 done, 0 failed, 0 skipped/m);
    expect(leader.stdout()).toContain('Synchronization complete on every member.');
    await member.line(/^B office \(this computer\): 5 done, 0 failed, 0 skipped/m);
    expect(await contents(b)).toEqual(await contents(a));
    // What the mirror replaced or deleted is kept on B's side.
    expect(await readFile(join(b, '.quintet', 'versions', (await readdir(join(b, '.quintet', 'versions')))[0] as string, 'only-b.txt'), 'utf8')).toBe('B had this');

    expect(await member.interrupt()).toBe(130);
    expect(await readdir(join(b, '.quintet', 'tmp')).catch(() => [])).toEqual([]);
  }, 180_000);

  it('the member keeps the modification times and permission bits of what it copies, and says so', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    const big = new Uint8Array(2_000_000).map((_, i) => (i * 13) % 251);
    await seedDir(a, { 'run.sh': '#!/bin/sh\necho hi\n', 'private.txt': 'mine', 'd': { 'big.bin': big } });
    await seedDir(b, { 'private.txt': 'stale' });
    const times: Record<string, number> = { 'run.sh': 1_500_000_000_123, 'private.txt': 1_600_000_000_456, 'd/big.bin': 1_234_567_890_789 };
    const modes: Record<string, number> = { 'run.sh': 0o755, 'private.txt': 0o600, 'd/big.bin': 0o640 };
    for (const [path, ms] of Object.entries(times)) {
      await chmod(join(a, path), modes[path] as number);
      await utimes(join(a, path), ms / 1000, ms / 1000 + 0.0005);
    }
    const leader = await quintet(['create', '--source', a, '--server', server.url, '--name', 'nas', '--preset', 'mirror', '--from', 'A1', '--to', 'B1', '--yes', '--members', '2']);
    const { link } = await sessionOf(leader);
    const member = await quintet(['join', link, '--source', b, '--server', server.url, '--name', 'office']);
    expect(await leader.exited, leader.stdout() + leader.stderr()).toBe(0);
    await member.line(/^B office \(this computer\): 4 done, 0 failed, 0 skipped/m); // 3 files and the folder d
    await member.line(/^ {2}kept modification times of 3 files and permission bits of 3$/m);
    expect(await contents(b)).toEqual(await contents(a));
    for (const path of Object.keys(times)) {
      const s = await stat(join(b, path));
      expect([path, Math.floor(s.mtimeMs), s.mode & 0o777]).toEqual([path, times[path], modes[path]]);
    }
    expect(await member.interrupt()).toBe(130);
  }, 180_000);

  it('a wrong password: exit 2 with the reason, the leader keeps its session alone', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    const leader = await quintet(['create', '--source', a, '--server', server.url]);
    const { id, password } = await sessionOf(leader);
    let wrong = generatePassword(nodeRandom);
    while (wrong === password) wrong = generatePassword(nodeRandom);
    const member = await quintet(['join', id, '--password', wrong, '--source', b, '--server', server.url]);
    expect(await member.exited).toBe(2);
    expect(member.stderr()).toContain('quintet join: wrong password');
    expect(leader.stdout()).not.toMatch(/^Members: .*\| B/m);
    expect(await leader.interrupt()).toBe(130);
  }, 120_000);

  it('a server that is down: create and join exit 2 saying the server could not be reached', async () => {
    const down = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
    await down.close();
    const dir = await tempDir();
    const create = await quintet(['create', '--source', dir, '--server', down.url]);
    const joining = await quintet(['join', '123-ABC-456', '--password', generatePassword(nodeRandom), '--source', dir, '--server', down.url]);
    for (const [p, name] of [[create, 'create'], [joining, 'join']] as const) {
      expect(await p.exited, name).toBe(2);
      expect(p.stderr()).toContain(`quintet ${name}: could not reach the signaling server at ${down.url}`);
    }
  }, 120_000);

  it('refuses bad arguments before connecting (exit 2)', async () => {
    const dir = await tempDir();
    const noYes = await quintet(['create', '--source', dir, '--preset', 'mirror', '--members', '2']);
    expect(await noYes.exited).toBe(2);
    expect(noYes.stderr()).toContain('--preset needs --yes');
    const noSource = await quintet(['join', '123-ABC-456', '--password', generatePassword(nodeRandom)]);
    expect(await noSource.exited).toBe(2);
    expect(noSource.stderr()).toContain('at least one --source');
  }, 60_000);
});
