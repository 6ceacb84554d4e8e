/**
 * The OPFS lane of bench/local alone, beside `rsync -a` on the same bytes, optionally alternating with another build
 * (`--against <checkout with dist/web built>`) in the same run: the shared cores swing too much to compare runs apart.
 *
 *   npx tsx bench/local/opfs-ab.ts [--small 2000] [--large 0] [--large-mib 256] [--runs 3] [--against DIR] [--no-build]
 *                                  [--profile FILE.cpuprofile]
 */
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import type { BrowserContext, Page } from '@playwright/test';
import { readTree, writeTree } from '../../e2e/support/opfs-tree.ts';
import { largeCorpus, writeCorpusToDisk } from '../inventory/corpus.ts';
import { e2eSmallFiles } from './e2e-small-files.ts';
import { freshStart, launch, serve } from '../inventory/app.ts';
import { freePort } from '../../e2e/support/free-port.ts';
import { timedMirror, type MirrorTiming } from './mirror-flow.ts';
import { rsyncRuns } from './rsync.ts';
import { deadline, log, runMeasures } from '../shared/run-clock.ts';
import { chromiumCpu, cpuSpent, rendererThreadCpu } from './chromium-cpu.ts';

const { values: flags } = parseArgs({
  options: {
    small: { type: 'string', default: '2000' },
    large: { type: 'string', default: '0' },
    'large-mib': { type: 'string', default: '256' },
    runs: { type: 'string', default: '3' },
    against: { type: 'string' },
    profile: { type: 'string' },
    deadline: { type: 'string', default: '1200' },
    'no-build': { type: 'boolean', default: false },
  },
});
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const work = join(repo, 'bench/.work-local-opfs');
const TIMEOUT = 600_000;

const stops: (() => void)[] = [];
const contexts: BrowserContext[] = [];
async function cleanup(): Promise<void> {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  for (const s of stops.splice(0)) s();
  await rm(work, { recursive: true, force: true });
}
const stopDeadline = deadline(Number(flags.deadline), cleanup);


/** One OPFS mirror into a fresh target folder of a page already holding the source tree. */
async function mirrorOnce(page: Page, url: string, target: string, profileDir: string, profile?: string): Promise<MirrorTiming & { cpu: Record<string, number>; threads: Record<string, number> }> {
  await page.evaluate((t) => navigator.storage.getDirectory().then(async (root) => {
    await root.removeEntry(t, { recursive: true }).catch(() => undefined);
    await root.getDirectoryHandle(t, { create: true });
  }), target);
  // Every round as the first one of `npm run bench:local` (a fresh profile): no index yet, so the inventory reads and
  // hashes every source file. The delete is queued before the next document opens the database.
  await page.evaluate(() => new Promise((done) => {
    const request = indexedDB.deleteDatabase('quintet');
    request.onsuccess = request.onerror = request.onblocked = done;
  }));
  let cpu0: Record<string, number> = {};
  let threads0: Record<string, number> = {};
  let cdp: Awaited<ReturnType<BrowserContext['newCDPSession']>> | null = null;
  const t = await timedMirror(
    page,
    url,
    async (code) => {
      await page.evaluate((f) => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push(f), code === 'A1' ? 'bench-src' : target);
      await page.getByRole('button', { name: 'Add directory' }).click();
      await page.getByRole('region', { name: 'Member A' }).getByText(code, { exact: true }).waitFor();
      if (code === 'A2' && profile) {
        cdp = await page.context().newCDPSession(page);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      }
    },
    async () => {
      cpu0 = chromiumCpu(profileDir);
      threads0 = rendererThreadCpu(profileDir);
      if (cdp) await cdp.send('Profiler.start');
    },
    TIMEOUT,
  );
  const cpu = cpuSpent(cpu0, chromiumCpu(profileDir));
  // The renderer's threads that worked at least 50 ms: the write workers, WebCrypto's, the main thread…
  const threads = Object.fromEntries(Object.entries(cpuSpent(threads0, rendererThreadCpu(profileDir))).filter(([, s]) => s >= 0.05));
  if (cdp && profile) {
    const { profile: p } = await (cdp as { send(m: string): Promise<{ profile: unknown }> }).send('Profiler.stop');
    await writeFile(profile, JSON.stringify(p));
    log(`profile written to ${profile}`);
  }
  return { ...t, cpu, threads };
}

await runMeasures(stopDeadline, cleanup, async () => {
  await freshStart(work, repo, flags['no-build'] === true);
  const corpus = Number(flags.large) > 0 ? { ...largeCorpus(Number(flags.large), Number(flags['large-mib'])), name: 'large' } : e2eSmallFiles(Number(flags.small));
  const src = join(work, 'src');
  await writeCorpusToDisk(src, corpus);
  log(`${corpus.files} files (${(corpus.bytes / 1e6).toFixed(1)} MB)`);

  const builds = [{ name: 'this', cwd: repo }, ...(flags.against ? [{ name: 'against', cwd: resolve(flags.against) }] : [])];
  const lanes: { name: string; url: string; page: Page; profileDir: string; times: number[]; walls: number[] }[] = [];
  for (const b of builds) {
    const port = await freePort();
    stops.push(await serve(b.cwd, port));
    const profileDir = join(work, `profile-${b.name}`);
    // Each build has its own port and profile, so neither's service worker can answer the other (the trap profile.ts
    // --ab fell into with one origin); blocked all the same, so a lane always runs the build its server serves.
    const context = await launch(profileDir, { serviceWorkers: 'block' });
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    if (process.env.BENCH_CONSOLE) page.on('console', (m) => console.log(`[page] ${m.text()}`));
    const url = `http://localhost:${port}/`;
    await page.goto(url);
    await writeTree(page, 'bench-src', corpus.spec);
    lanes.push({ name: b.name, url, page, profileDir, times: [], walls: [] });
  }
  const rsync: number[] = [];
  const runs = Number(flags.runs);
  for (let i = 0; i < runs; i++) {
    rsync.push(rsyncRuns(src, join(work, 'rsync-dst'), 1).seconds);
    // Alternate which build goes first each round.
    const order = i % 2 === 0 ? lanes : [...lanes].reverse();
    for (const lane of order) {
      const t = await mirrorOnce(lane.page, lane.url, `bench-dst`, lane.profileDir, i === 0 && lane.name === 'this' ? flags.profile : undefined);
      if (t.failures > 0) throw new Error(`${lane.name}: ${t.failures} failures`);
      lane.times.push(t.engineMs / 1000);
      lane.walls.push(t.wallMs / 1000);
      log(`round ${i + 1} ${lane.name}: engine ${(t.engineMs / 1000).toFixed(2)} s (${Math.round(corpus.files / (t.engineMs / 1000))} files/s, ${(corpus.bytes / 1e6 / (t.engineMs / 1000)).toFixed(1)} MB/s), click → result ${(t.wallMs / 1000).toFixed(2)} s, CPU ${JSON.stringify(t.cpu)}, renderer threads ${JSON.stringify(t.threads)}, load ${loadavg()[0]!.toFixed(2)}`);
    }
    log(`round ${i + 1} rsync -a: ${rsync.at(-1)!.toFixed(3)} s`);
  }
  for (const lane of lanes) {
    const [a, b] = [await readTree(lane.page, 'bench-src'), await readTree(lane.page, 'bench-dst', { skip: '.quintet' })];
    if (JSON.stringify(a.files) !== JSON.stringify(b.files)) throw new Error(`${lane.name}: the target differs from the source`);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const r = median(rsync);
  console.log(`\nrsync -a: median ${r.toFixed(3)} s (${rsync.map((s) => s.toFixed(3)).join(', ')}), ${(corpus.bytes / 1e6 / r).toFixed(1)} MB/s`);
  for (const lane of lanes) {
    const m = median(lane.times);
    console.log(`${lane.name}: median ${m.toFixed(2)} s (${lane.times.map((s) => s.toFixed(2)).join(', ')}), ${Math.round(corpus.files / m)} files/s, ${(corpus.bytes / 1e6 / m).toFixed(1)} MB/s, ${(r / m).toFixed(2)}× rsync's rate; click → result median ${median(lane.walls).toFixed(2)} s`);
  }
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
});
