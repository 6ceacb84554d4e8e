/**
 * Where the idle CPU of continuous synchronization goes between two browser members (issue 13's "idle watching under
 * 2 % of one core"): the CPU share of every Chromium process, per process, over windows of idle time — the pages open
 * without a session, a session with the folders added and continuous synchronization off, then on and idle after its
 * first (whole) round — and, with --js-profile, each page's main-thread profile during one more idle window.
 *   npx tsx bench/continuous/browser-idle.ts [--files 100000] [--window 20] [--windows 3] [--idle-seconds 60] [--js-profile] [--tail-profile]
 *     [--profile-dir DIR --port N (kept: its OPFS folders are reused by the next run on the same port)] [--no-build]
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { freePort } from '../../e2e/support/free-port.ts';
import { build, serve } from '../inventory/app.ts';
import { launchPages } from '../transfer/browser.ts';
import { twoMembers } from './two-members.ts';
import { repoRoot } from '../ui/ui-run.ts';
import { deadline, log, runMeasures } from '../shared/run-clock.ts';
import { countFiles, fillFiles } from './opfs-page.ts';
import { until } from './page-wait.ts';
import { chromiumProcesses, cpuShare, threadSeconds } from './chromium-cpu.ts';
import { startJsProfile } from './js-profile.ts';

const { values: flags } = parseArgs({
  options: {
    files: { type: 'string', default: '100000' }, window: { type: 'string', default: '20' }, windows: { type: 'string', default: '3' },
    'js-profile': { type: 'boolean', default: false }, 'tail-profile': { type: 'boolean', default: false }, 'idle-seconds': { type: 'string', default: '60' }, 'profile-dir': { type: 'string' }, port: { type: 'string' }, 'no-build': { type: 'boolean', default: false },
  },
});
const FILES = Number(flags.files);
const WINDOW_MS = Number(flags.window) * 1000;
const WINDOWS = Number(flags.windows);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function measure(label: string, ms = WINDOW_MS): Promise<number> {
  const renderers = (await chromiumProcesses()).filter((p) => p.kind === 'renderer' || p.kind === 'browser');
  const threads0 = await Promise.all(renderers.map((r) => threadSeconds(r.pid)));
  const { total, perProcess } = await cpuShare(() => sleep(ms));
  const parts = perProcess.filter((p) => p.share >= 0.0005).map((p) => `${p.kind} ${p.pid} ${(p.share * 100).toFixed(2)} %`);
  log(`${label}: ${(total * 100).toFixed(2)} % of one core over ${ms / 1000} s — ${parts.join('; ')}`);
  for (const [i, r] of renderers.entries()) {
    const after = await threadSeconds(r.pid);
    const busy = [...after].map(([name, s]) => [name, s - (threads0[i]?.get(name) ?? 0)] as const).filter(([, s]) => s > 0).sort((x, y) => y[1] - x[1]);
    if (busy.length) log(`  ${r.kind} ${r.pid} threads: ${busy.slice(0, 6).map(([n, s]) => `${n} ${(s * 1000).toFixed(0)} ms`).join('; ')}`);
  }
  return total;
}
const heap = (p: Page) => p.evaluate(() => Math.round(((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 2 ** 20));

const keep = flags['profile-dir'];
const profile = keep ?? (await mkdtemp(join(tmpdir(), 'quintet-bench-continuous-idle-')));
if (keep) await mkdir(keep, { recursive: true });
let stopServer: (() => void) | null = null;
let close: (() => Promise<void>) | null = null;
const cleanup = async () => {
  await close?.().catch(() => undefined);
  stopServer?.();
  if (!keep) await rm(profile, { recursive: true, force: true });
};
const stopDeadline = deadline(3600, cleanup);
await runMeasures(stopDeadline, cleanup, async () => {
  if (!flags['no-build']) build(repoRoot);
  const port = flags.port ? Number(flags.port) : await freePort(); // OPFS is per origin: a kept profile's folders need its port
  stopServer = await serve(repoRoot, port);
  const { context, a, b, urls } = await launchPages(profile, port);
  close = () => context.close();
  for (const [p, root] of [[a, 'a1'], [b, 'b1']] as [Page, string][]) {
    const n = (await p.evaluate(`(${countFiles.toString()})('${root}', 'idle')`)) as number;
    log(`${root}: ${n} files there, writing up to ${FILES}`);
    if (n < FILES) await fillFiles(p, root, 'idle', n, FILES);
  }
  await measure('pages open, no session');
  await twoMembers(a, b, urls);
  await measure('session, folders added, continuous off');
  log('continuous on: its first round walks both folders whole');
  const t0 = Date.now();
  await a.getByRole('checkbox', { name: 'Continuous synchronization' }).check();
  await until(a, `window.__quintetCloud.member.continuous.loop.rounds > 0 && window.__quintetCloud.member.continuous.loopState === 'idle'`, 1_800_000);
  log(`first round ${Date.now() - t0} ms; JS heaps A ${await heap(a)} MiB, B ${await heap(b)} MiB`);
  const rounds = () => a.evaluate(() => (window as unknown as { __quintetCloud: { member: { continuous: { loop: { rounds: number } } } } }).__quintetCloud.member.continuous.loop.rounds);
  const r0 = await rounds();
  const tail = flags['tail-profile'] ? [await startJsProfile(context, a), await startJsProfile(context, b)] : [];
  for (let i = 0; i < WINDOWS; i++) {
    await measure(`continuous on, idle, window ${i + 1}`);
    if (i === 0) for (const [j, stop] of tail.entries()) log(`page ${'AB'[j]} main thread, first window (profiled):\n${(await stop(25)).join('\n')}`);
  }
  await measure('continuous on, idle, after those windows', Number(flags['idle-seconds']) * 1000);
  log(`rounds during the idle windows: ${(await rounds()) - r0}; JS heaps A ${await heap(a)} MiB, B ${await heap(b)} MiB`);
  if (flags['js-profile']) {
    const stops = [await startJsProfile(context, a), await startJsProfile(context, b)];
    await measure('continuous on, idle, both pages profiled');
    for (const [i, stop] of stops.entries()) log(`page ${'AB'[i]} main thread:\n${(await stop()).join('\n')}`);
  }
});
process.exit(process.exitCode ?? 0);

