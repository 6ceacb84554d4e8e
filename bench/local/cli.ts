/**
 * `quintet local` for bench/local: times a Mirror of a tree into an empty folder by running the bin as a user would
 * (`node cli/quintet.cjs local <src> <dst> --preset mirror --yes`, process start-up included), beside `rsync -a`. The
 * bin runs its bundle, as after `npm ci`: it is built first when missing or older than a source.
 * Run alone: `npx tsx bench/local/cli.ts <tree>` prints {files, ms}.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bundleEntry } from '../../cli/bundle-entry.mjs';

const BIN = fileURLToPath(new URL('../../cli/quintet.cjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the CLI bundle (npm run build:cli) unless it is up to date, so the bin runs it and not tsx. */
export function ensureCliBundle(): void {
  if (bundleEntry(ROOT)) return;
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { encoding: 'utf8' });
  if (built.status !== 0 || !bundleEntry(ROOT)) throw new Error(`could not build the CLI bundle: ${built.stderr}`);
}

export interface QuintetLocalTiming {
  /** Regular files in the source (what the mirror copied; `.quintet/` excluded). */
  files: number;
  /** Wall-clock time of the whole command, start-up to exit. */
  ms: number;
}

/** Regular files under `dir`, not counting Quintet's own folder. */
async function countFiles(dir: string, top = true): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (top && e.name === '.quintet') continue;
    if (e.isDirectory()) n += await countFiles(join(dir, e.name), false);
    else if (e.isFile()) n++;
  }
  return n;
}

/**
 * Times `quintet local <source> <target> --preset mirror --yes [args]`. `target` defaults to a fresh empty folder (removed
 * afterwards), and the state folder is always fresh, so nothing is known in advance: a cold first mirror, as `rsync -a`
 * into an empty folder. Rejects if the command does not exit 0.
 */
export async function timeQuintetLocal(source: string, options: { target?: string; args?: readonly string[] } = {}): Promise<QuintetLocalTiming> {
  const scratch = await mkdtemp(join(tmpdir(), 'quintet-bench-local-'));
  const target = options.target ?? join(scratch, 'target');
  if (!options.target) await mkdir(target);
  try {
    ensureCliBundle();
    const files = await countFiles(source);
    const started = performance.now();
    await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'local', source, target, '--preset', 'mirror', '--yes', ...(options.args ?? [])], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, QUINTET_LANG: 'en', QUINTET_STATE_DIR: join(scratch, 'state') },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      child.on('error', reject);
      child.on('close', (status) => (status === 0 ? resolve(status) : reject(new Error(`quintet local exited ${status}: ${stderr}`))));
    });
    const ms = performance.now() - started;
    return { files, ms };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const source = process.argv[2];
  if (!source) {
    console.error('usage: npx tsx bench/local/cli.ts <tree>');
    process.exit(2);
  }
  console.log(JSON.stringify(await timeQuintetLocal(source)));
}
