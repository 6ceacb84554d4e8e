/** e2e: a real coturn on loopback and a second signaling server pointed at it, both on free ports, stopped by the test. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** coturn with the REST-API shared secret (use-auth-secret), relaying on loopback only. `log()` reads its log file. */
export async function startTurn(secret: string): Promise<{ port: number; log(): string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quintet-turn-'));
  const logFile = path.join(dir, 'turn.log');
  const child = spawn('turnserver', [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm=quintet.test',
    '--allow-loopback-peers', '--no-tls', '--no-dtls', '--no-cli', '--fingerprint',
    `--min-port=${40000 + (port % 1000) * 10}`, `--max-port=${40009 + (port % 1000) * 10}`,
    `--log-file=${logFile}`, '--simple-log', '--verbose', `--pidfile=${path.join(dir, 'turn.pid')}`,
  ], { stdio: 'ignore' });
  const read = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  await waitFor(async () => /listener opened on|Total General servers/i.test(read()) || child.exitCode !== null, 'turnserver');
  if (child.exitCode !== null) throw new Error(`turnserver exited: ${read()}`);
  return { port, log: read, stop: () => stop(child) };
}

/** Another instance of the Node signaling server (`tsx signaling/node.ts`) (serving the built PWA) with extra environment. */
export async function startSignaling(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  // Node itself with tsx's loader (not `npx tsx`, whose wrapper would leave the server running after a SIGTERM).
  const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/node.ts'], { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  const url = `http://localhost:${port}`;
  await waitFor(async () => (await fetch(`${url}/health`)).ok, 'signaling server');
  return { url, stop: () => stop(child) };
}
