/** The baseline: `openssl dgst -sha256` on one core over the disk copy of a corpus, timed from Node. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface OpensslRun {
  /** Median wall time over the runs, in seconds. */
  seconds: number;
  all: number[];
  /** absolute path → hex SHA-256, from the last run. */
  digests: Map<string, string>;
}

function run(command: string, args: string[], stdin?: string, timeoutMs = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${command} exited ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 500)}`));
    });
    if (stdin !== undefined) {
      child.stdin!.on('error', reject);
      child.stdin!.end(stdin);
    }
  });
}

function parse(output: string): Map<string, string> {
  const digests = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^SHA2?-256\((.*)\)= ([0-9a-f]{64})$/.exec(line);
    if (m) digests.set(m[1]!, m[2]!);
  }
  return digests;
}

async function timed(runs: number, once: () => Promise<string>, expected: number): Promise<OpensslRun> {
  const all: number[] = [];
  let digests = new Map<string, string>();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const output = await once();
    all.push((performance.now() - t0) / 1000);
    digests = parse(output);
    if (digests.size !== expected) throw new Error(`openssl hashed ${digests.size} files, expected ${expected}`);
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { seconds: sorted[Math.floor(sorted.length / 2)]!, all, digests };
}

/** One openssl process, the files in sequence: one core. */
export function opensslLarge(paths: string[], runs: number): Promise<OpensslRun> {
  return timed(runs, () => run('openssl', ['dgst', '-sha256', ...paths]), paths.length);
}

/** `xargs -n 1000 openssl dgst -sha256`: one process at a time, 1,000 files per call. */
export function opensslSmall(paths: string[], runs: number): Promise<OpensslRun> {
  return timed(runs, () => run('xargs', ['-0', '-n', '1000', 'openssl', 'dgst', '-sha256'], paths.join('\0')), paths.length);
}

export async function opensslVersion(): Promise<string> {
  return (await run('openssl', ['version'])).trim();
}
