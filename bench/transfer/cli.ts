/**
 * CLI ↔ CLI beside the Node stack's raw rate: two `quintet` processes (create --preset mirror --yes --members 2, and
 * join) mirror the transfer corpus A1 → B1 on loopback through a signaling server of this process; the Node raw rate
 * (bench/transfer/node-raw.ts) is measured in the same run. Writes the "Transfer: CLI" section of bench/README.md.
 * Run: `npx tsx bench/transfer/cli.ts [--quick]` (--quick: a ~100 MiB corpus, README untouched).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer } from '../../signaling/node-server.ts';
import { writeCorpusToDisk } from '../inventory/corpus.ts';
import { machineLines } from '../shared/machine.ts';
import { writeSection } from '../shared/readme-section.ts';
import { spawnQuintet } from '../../cli/cli-process.ts';
import { DEFAULT_MIXED, mixedCorpus } from './corpus.ts';
import { nodeRawRate } from './node-raw.ts';

/** CPU seconds (user + system, every thread) a live process has used, from /proc (Linux); 0 elsewhere. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** path → SHA-256 of every file under `root` (Quintet's own folder aside). */
async function digests(root: string, rel = '', out = new Map<string, string>()): Promise<Map<string, string>> {
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (path === '.quintet') continue;
    if (e.isDirectory()) await digests(root, path, out);
    else out.set(path, createHash('sha256').update(await readFile(join(root, path))).digest('hex'));
  }
  return out;
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    prof: { type: 'string' },
    large: { type: 'string' },
    medium: { type: 'string' },
    small: { type: 'string' },
  },
});
/** `--prof <dir>`: each member writes a V8 CPU profile there (bench/shared/cpu-profile.mjs), to see where the time goes. */
const prof: Record<string, string> = values.prof
  ? { NODE_OPTIONS: `--import=${new URL('../shared/cpu-profile.mjs', import.meta.url).href}`, QUINTET_CPU_PROFILE_DIR: values.prof }
  : {};
const base = values.quick ? { large: 1, largeMiB: 64, medium: 2, small: 400 } : DEFAULT_MIXED;
const counts = { large: values.large, medium: values.medium, small: values.small };
/** A corpus other than the default (--quick, or any count given) is a probe: the README is left alone. */
const probe = values.quick || Object.values(counts).some((v) => v !== undefined);
const corpus = mixedCorpus({ ...base, ...Object.fromEntries(Object.entries(counts).flatMap(([k, v]) => (v === undefined ? [] : [[k, Number(v)]]))) });
const work = await mkdtemp(join(tmpdir(), 'quintet-bench-cli-'));
const [a, b, stateA, stateB] = ['a', 'b', 'state-a', 'state-b'].map((d) => join(work, d)) as [string, string, string, string];
try {
  await writeCorpusToDisk(a, corpus);
  await mkdir(b, { recursive: true });
  console.log(`corpus: ${corpus.files} files, ${(corpus.bytes / 2 ** 20).toFixed(0)} MiB`);

  const raw = await nodeRawRate(256 << 20);
  console.log(`node raw: ${raw.mbPerSecond.toFixed(1)} MB/s`);

  const server = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
  const leader = spawnQuintet(['create', '--source', a, '--server', server.url, '--name', 'bench-a', '--preset', 'mirror', '--yes', '--members', '2'], { QUINTET_STATE_DIR: stateA, ...prof });
  const id = (await leader.line(/^Session ID: +(\S+)/m))[1] as string;
  const password = (await leader.line(/^Password: +(\S+)/m))[1] as string;
  const member = spawnQuintet(['join', id, '--password', password, '--source', b, '--server', server.url, '--name', 'bench-b'], { QUINTET_STATE_DIR: stateB, ...prof });
  await member.line(/^Synchronization started by the leader\.$/m, 30 * 60_000);
  const start = performance.now();
  const cpu0 = await Promise.all([leader, member].map((p) => cpuSeconds(p.child.pid)));
  const result = await member.line(/^B bench-b \(this computer\): (\d+) done, (\d+) failed, (\d+) skipped.*$/m, 60 * 60_000);
  const seconds = (performance.now() - start) / 1000;
  const cpu = (await Promise.all([leader, member].map((p) => cpuSeconds(p.child.pid)))).map((c, i) => c - (cpu0[i] as number));
  const code = await leader.exited;
  await member.interrupt();
  await server.close();
  if (code !== 0 || result[2] !== '0' || result[3] !== '0') throw new Error(`mirror did not complete: exit ${code}, ${result[0]}\n${leader.stderr()}`);
  const [da, db] = [await digests(a), await digests(b)];
  const equal = da.size === db.size && [...da].every(([p, h]) => db.get(p) === h);
  if (!equal) throw new Error('B1 differs from A1 after the mirror');
  const cli = corpus.bytes / 1e6 / seconds;
  const ratio = cli / raw.mbPerSecond;
  console.log(`CLI ↔ CLI mirror: ${seconds.toFixed(1)} s, ${cli.toFixed(1)} MB/s, ${ratio.toFixed(2)}× node raw; every file's SHA-256 equal`);
  console.log(`CPU during the mirror: sender ${cpu[0]?.toFixed(1)} s, receiver ${cpu[1]?.toFixed(1)} s (all threads; a noisy machine moves the time, less the CPU)`);

  if (!probe) {
    const date = new Date().toISOString().slice(0, 10);
    await writeSection(fileURLToPath(new URL('../README.md', import.meta.url)), 'Transfer: CLI', [
      `Measured ${date} with \`npx tsx bench/transfer/cli.ts\`, one run.`,
      '',
      ...machineLines('@roamhq/wrtc (libwebrtc) under @thaunknown/simple-peer, loopback'),
      '',
      '| what | time | MB/s | vs Node raw |',
      '|---|---:|---:|---:|',
      `| Node raw: one 256 MiB stream, 2 processes (\`node-raw.ts\`) | ${raw.seconds.toFixed(1)} s | ${raw.mbPerSecond.toFixed(1)} | 1.00× |`,
      `| CLI ↔ CLI: Mirror A1 → B1 of the corpus (${corpus.files} files, ${(corpus.bytes / 2 ** 20).toFixed(0)} MiB) | ${seconds.toFixed(1)} s | ${cli.toFixed(1)} | ${ratio.toFixed(2)}× |`,
      '',
      'CLI ↔ CLI: `quintet create --preset mirror --yes --members 2` and `quintet join`, two processes, a signaling server',
      'in the bench\'s process. Time: from the member printing "Synchronization started by the leader." to it printing its',
      'own result (plan check, block pulls over the sealed mesh, staging, verification by re-reading every file, commits);',
      'the inventories before it are not counted. Afterwards every file of B1 is compared with A1 by SHA-256.',
      `Target: ≥ 0.85× the Node raw rate — ${ratio >= 0.85 ? 'met' : 'not met'} in this run.`,
    ].join('\n'));
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
process.exit(0);
