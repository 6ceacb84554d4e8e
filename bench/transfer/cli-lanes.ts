/**
 * CLI ↔ CLI with 0…3 forced lanes (QUINTET_TEST_LANES, or `auto`: unset, the adaptive rule) on a shared machine: rounds
 * of (Node raw, CLI with each setting), the settings' order rotated each round, so a busy moment weighs on all and each
 * CLI run has a raw run just before it. Also counts UDP datagrams the kernel dropped for a full receive buffer during
 * each run (/proc/net/snmp and snmp6 `RcvbufErrors`: the whole machine's, so other work's drops count too) and the lanes' bytes
 * as the receiver saw them. Prints every run and the medians; writes nothing. Run:
 * `npx tsx bench/transfer/cli-lanes.ts [--lanes auto,0,1,2,3] [--runs 3] [--raw-mib 256] [--quick] [--large N] [--medium N] [--small N]`
 * `--raw-connections 1,2,4`: only the Node raw run, its bytes split over that many peer connections (what lanes are to
 * the WebRTC stack without Quintet's own work), the counts rotated each round.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer } from '../../signaling/node-server.ts';
import { writeCorpusToDisk } from '../inventory/corpus.ts';
import { DEFAULT_MIXED, mixedCorpus } from './corpus.ts';
import { nodeRawRate } from './node-raw.ts';
import { cliMirror } from './cli-mirror.ts';
import { sameTree } from './verify.ts';
import { ensureCliBundle } from '../local/cli.ts';
import { formatThreads } from '../shared/thread-cpu.ts';

const { values } = parseArgs({
  options: {
    lanes: { type: 'string', default: '0,1,2,3' },
    runs: { type: 'string', default: '3' },
    'raw-mib': { type: 'string', default: '256' },
    quick: { type: 'boolean', default: false },
    large: { type: 'string' },
    medium: { type: 'string' },
    small: { type: 'string' },
    'raw-connections': { type: 'string' },
  },
});
const settings = values.lanes.split(',').map((s) => s.trim());
for (const s of settings) if (!/^(auto|[0-3])$/.test(s)) throw new Error(`--lanes takes auto or 0 to 3, not ${s}`);
const base = values.quick ? { large: 1, largeMiB: 64, medium: 2, small: 400 } : DEFAULT_MIXED;
const counts = Object.entries({ large: values.large, medium: values.medium, small: values.small }).flatMap(([k, v]) => (v === undefined ? [] : [[k, Number(v)]]));
const corpus = mixedCorpus({ ...base, ...Object.fromEntries(counts) });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const cpuOf = (threads: [string, number][][]) => threads.flat().reduce((sum, [, s]) => sum + s, 0);

/** UDP datagrams dropped so far for a full socket receive buffer, machine-wide, IPv4 and IPv6 (Linux; 0 elsewhere). */
async function rcvbufErrors(): Promise<number> {
  const snmp = await readFile('/proc/net/snmp', 'utf8').catch(() => '');
  const [head, row] = snmp.split('\n').filter((l) => l.startsWith('Udp:'));
  const v4 = head && row ? Number(row.split(/\s+/)[head.split(/\s+/).indexOf('RcvbufErrors')] ?? 0) : 0;
  // Loopback candidates are often ::1: those drops are counted apart.
  const v6 = /^Udp6RcvbufErrors\s+(\d+)/m.exec(await readFile('/proc/net/snmp6', 'utf8').catch(() => ''));
  return v4 + Number(v6?.[1] ?? 0);
}

interface Row { setting: string; ratio: number; seconds: number; rate: number; raw: number; drops: number; rawDrops: number; cpuPerMiB: number; lanes: string }
if (values['raw-connections']) {
  const counts = values['raw-connections'].split(',').map(Number);
  const got = new Map<number, { rate: number; drops: number; cpuPerMiB: number }[]>(counts.map((c) => [c, []]));
  for (let round = 0; round < Number(values.runs); round++) {
    for (const connections of counts.map((_, i) => counts[(i + round) % counts.length] as number)) {
      const d0 = await rcvbufErrors();
      const raw = await nodeRawRate(Number(values['raw-mib']) << 20, undefined, { iceServers: [] }, connections);
      const drops = (await rcvbufErrors()) - d0;
      const cpuPerMiB = (cpuOf(raw.threads) / raw.bytes) * 2 ** 20 * 1000;
      got.get(connections)!.push({ rate: raw.mbPerSecond, drops, cpuPerMiB });
      console.log(`round ${round + 1} raw over ${connections} connection(s): ${raw.mbPerSecond.toFixed(1)} MB/s, ${drops} drops, ${cpuPerMiB.toFixed(2)} ms/MiB`);
    }
  }
  for (const [c, r] of got) console.log(`${c} connection(s): median ${median(r.map((x) => x.rate)).toFixed(1)} MB/s (${r.map((x) => x.rate.toFixed(1)).join(', ')}), drops median ${median(r.map((x) => x.drops))}, CPU per MiB median ${median(r.map((x) => x.cpuPerMiB)).toFixed(2)} ms`);
  process.exit(0);
}
ensureCliBundle();
delete process.env.QUINTET_TEST_LANES;
const work = await mkdtemp(join(tmpdir(), 'quintet-bench-cli-lanes-'));
const rows: Row[] = [];
const failures: string[] = [];
try {
  const a = join(work, 'a');
  await writeCorpusToDisk(a, corpus);
  console.log(`corpus: ${corpus.files} files, ${(corpus.bytes / 2 ** 20).toFixed(0)} MiB; settings ${settings.join(', ')}`);
  const server = await startNodeServer({ config: readConfig({ QUINTET_SESSION_CREATE_RATE_BURST: '1000' }), port: 0, staticRoot: null });
  try {
    for (let round = 0; round < Number(values.runs); round++) {
      const order = settings.map((_, i) => settings[(i + round) % settings.length] as string);
      for (const setting of order) {
        const d0 = await rcvbufErrors();
        const raw = await nodeRawRate(Number(values['raw-mib']) << 20);
        const d1 = await rcvbufErrors();
        const b = join(work, `b-${round}-${setting}`);
        await mkdir(b, { recursive: true });
        const env: Record<string, string> = setting === 'auto' ? {} : { QUINTET_TEST_LANES: setting };
        const run = await cliMirror(a, b, server.url, env, { channelStats: true }).catch((e: Error) => e);
        const d2 = await rcvbufErrors();
        if (run instanceof Error) {
          // Counted, not hidden: a run that did not complete is printed with its first lines and left out of the medians.
          failures.push(setting);
          console.log(`round ${round + 1} lanes ${setting}: FAILED (${d2 - d1} drops): ${run.message.split('\n').slice(0, 14).join(' | ')}`);
          await rm(b, { recursive: true, force: true });
          continue;
        }
        await sameTree(a, b, ['.quintet']);
        await rm(b, { recursive: true, force: true });
        const rate = corpus.bytes / 1e6 / run.seconds;
        const cpuPerMiB = (cpuOf(run.threads) / corpus.bytes) * 2 ** 20 * 1000;
        const lanes = Object.entries(run.lanes ?? {}).map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(0)}`).join(', ');
        rows.push({ setting, ratio: rate / raw.mbPerSecond, seconds: run.seconds, rate, raw: raw.mbPerSecond, drops: d2 - d1, rawDrops: d1 - d0, cpuPerMiB, lanes });
        console.log(`round ${round + 1} lanes ${setting}: raw ${raw.mbPerSecond.toFixed(1)} MB/s (${d1 - d0} drops); CLI ${run.seconds.toFixed(1)} s, ${rate.toFixed(1)} MB/s, ${(rate / raw.mbPerSecond).toFixed(2)}× raw, ${d2 - d1} drops; CPU ${run.cpu[0].toFixed(1)} + ${run.cpu[1].toFixed(1)} s, ${cpuPerMiB.toFixed(2)} ms/MiB; MiB by lane: ${lanes}`);
        run.threads.forEach((t, i) => console.log(`    ${i ? 'receiver' : 'sender'}: ${formatThreads(t)}`));
      }
    }
  } finally {
    server.close();
  }
  for (const setting of settings) {
    const r = rows.filter((x) => x.setting === setting);
    if (r.length === 0) continue;
    console.log(`lanes ${setting} (${failures.filter((f) => f === setting).length} failed): median ${median(r.map((x) => x.seconds)).toFixed(1)} s, ${median(r.map((x) => x.rate)).toFixed(1)} MB/s, ratio to raw beside it median ${median(r.map((x) => x.ratio)).toFixed(2)}× (${r.map((x) => x.ratio.toFixed(2)).join(', ')}), drops median ${median(r.map((x) => x.drops))}, CPU per MiB median ${median(r.map((x) => x.cpuPerMiB)).toFixed(2)} ms`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
process.exit(0);
