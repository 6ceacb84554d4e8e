/** Baseline (b): two Syncthing instances on 127.0.0.1 sync the corpus from A (send-only) to B (receive-only), timed via REST. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../../e2e/support/free-port.ts';
import { generate, writeConfig, type Instance } from './syncthing-config.ts';

export interface SyncthingRun {
  /** A's initial scan (hashing the corpus), from process start to its folder idle with every byte indexed. */
  scanSeconds: number;
  /** From resuming B's folder to B reporting the folder idle, nothing needed, every file and byte local. */
  syncSeconds: number;
  /** `syncthing --version`, first line. */
  version: string;
}

interface FolderStatus {
  state: string;
  localFiles: number;
  localBytes: number;
  localDirectories: number;
  globalDirectories: number;
  globalFiles: number;
  globalBytes: number;
  needTotalItems: number;
  needBytes: number;
  errors: number;
  pullErrors?: number;
}

async function api<T>(i: Instance, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${i.guiPort}${path}`, {
    method,
    headers: { 'X-API-Key': i.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path} on ${i.name}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, name);
  } catch {
    /* already gone */
  }
}

/** An error that stops a wait at once (others, e.g. the REST API not up yet, are retried). */
class Fatal extends Error {}

async function until<T>(what: string, ms: number, poll: number, check: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check().catch((error: unknown) => {
      if (error instanceof Fatal) throw error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`syncthing: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, poll));
  }
}

const status = (i: Instance) => api<FolderStatus>(i, 'GET', '/rest/db/status?folder=bench');
// Syncthing counts every directory as 128 bytes (protocol.SyntheticDirectorySize) in these totals.
const fileBytes = (s: FolderStatus, scope: 'local' | 'global') => (scope === 'local' ? s.localBytes - 128 * s.localDirectories : s.globalBytes - 128 * s.globalDirectories);

/**
 * Runs the two instances with `source` (the corpus, on disk) as A's folder and `target` (empty) as B's; stops them
 * before returning. `timeoutMs` bounds each wait. `route`, given the two listening ports, returns the ports each is
 * dialed at instead (a delay proxy in front of each, bench/transfer/rtt.ts).
 */
export async function syncthingSync(work: string, source: string, target: string, files: number, bytes: number, timeoutMs: number, route?: (listenPorts: [number, number]) => Promise<[number, number]>): Promise<SyncthingRun> {
  const instances: Instance[] = [];
  let configVersion = '';
  for (const [name, folder] of [['a', source], ['b', target]] as const) {
    const home = join(work, `syncthing-${name}`);
    await mkdir(home, { recursive: true });
    await mkdir(join(folder, '.stfolder'), { recursive: true });
    const generated = await generate(home);
    configVersion = generated.version;
    instances.push({ name, home, folder, id: generated.id, listenPort: await freePort(), guiPort: await freePort(), apiKey: randomBytes(16).toString('hex') });
  }
  const [a, b] = instances as [Instance, Instance];
  if (route) [a.dialPort, b.dialPort] = await route([a.listenPort, b.listenPort]);
  await writeConfig(a, b, configVersion);
  await writeConfig(b, a, configVersion);

  const children: ChildProcess[] = [];
  try {
    const started = performance.now();
    for (const i of instances) {
      const log = createWriteStream(join(i.home, 'syncthing.log'));
      // Own process group (syncthing 1.19 still forks a monitor): stopped as a group, even if this run crashes.
      const child = spawn('syncthing', ['serve', `--home=${i.home}`, '--no-browser', '--no-restart', '--no-upgrade', '--logflags=3'], { env: { ...process.env, STNOUPGRADE: '1', STNORESTART: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      child.stdout.pipe(log);
      child.stderr.pipe(log);
      children.push(child);
      process.once('exit', () => signal(child, 'SIGKILL'));
    }
    for (const i of instances) await until(`${i.name}'s REST API`, 30_000, 100, async () => (await api<{ ping: string }>(i, 'GET', '/rest/system/ping')).ping === 'pong' || undefined);
    const scanned = await until("A's scan of the corpus", timeoutMs, 100, async () => {
      const s = await status(a);
      return s.state === 'idle' && s.localFiles === files && fileBytes(s, 'local') === bytes ? performance.now() : undefined;
    });
    await until('the connection A ↔ B', 60_000, 100, async () => {
      const c = await api<{ connections: Record<string, { connected: boolean }> }>(a, 'GET', '/rest/system/connections');
      return c.connections[b.id]?.connected || undefined;
    });
    const t0 = performance.now();
    await api(b, 'PATCH', '/rest/config/folders/bench', { paused: false });
    const done = await until("B's folder in sync", timeoutMs, 50, async () => {
      const s = await status(b);
      if (s.errors > 0 || (s.pullErrors ?? 0) > 0) throw new Fatal(`syncthing: B reports errors ${JSON.stringify(s)}`);
      return s.state === 'idle' && s.needTotalItems === 0 && s.localFiles === files && fileBytes(s, 'local') === bytes && fileBytes(s, 'global') === bytes ? performance.now() : undefined;
    });
    return { scanSeconds: (scanned - started) / 1000, syncSeconds: (done - t0) / 1000, version: execFileSync('syncthing', ['--version'], { encoding: 'utf8' }).split('\n')[0]! };
  } finally {
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null
          ? undefined
          : new Promise<void>((resolve) => {
              const force = setTimeout(() => signal(child, 'SIGKILL'), 10_000);
              child.once('exit', () => {
                clearTimeout(force);
                resolve();
              });
              signal(child, 'SIGTERM');
            }),
      ),
    );
  }
}
