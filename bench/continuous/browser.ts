/**
 * Continuous synchronization between two browser members (issue 13): Debian Chromium, two pages on two origins (own
 * OPFS each), the real app served by the Node server, real WebRTC, FileSystemObserver watching OPFS. Measures the
 * change-to-visible latency of small edits (continuous, and in the same run a round started by hand through the
 * leader's engine handle right after each write: inventory, Two-way, synchronize — what the buttons do, without the
 * clicks), a new 100 MB file and a 1 KiB edit inside it, a burst of new files, and the CPU every Chromium process spends
 * while both members watch an idle folder of many files for a minute. Writes "Continuous: two browsers" in
 * bench/README.md.
 *   npx tsx bench/continuous/browser.ts [--edits 200] [--manual 20] [--files 10000] [--idle-files 100000]
 *     [--idle-seconds 60] [--settle-seconds 30] [--burst 1000] [--big-mib 100] [--no-build]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { freePort } from '../../e2e/support/free-port.ts';
import { build, serve } from '../inventory/app.ts';
import { launchPages } from '../transfer/browser.ts';
import { twoMembers } from './two-members.ts';
import { repoRoot } from '../ui/ui-run.ts';
import { machineLines } from '../shared/machine.ts';
import { writeSection } from '../shared/readme-section.ts';
import { deadline, log, runMeasures } from '../shared/run-clock.ts';
import { countFiles, fileSize, fillFiles, readText, writeBig, writeText } from './opfs-page.ts';
import { until } from './page-wait.ts';
import { cpuShare } from './chromium-cpu.ts';

const { values: flags } = parseArgs({
  options: {
    edits: { type: 'string', default: '200' }, manual: { type: 'string', default: '20' }, files: { type: 'string', default: '10000' },
    'idle-files': { type: 'string', default: '100000' }, 'idle-seconds': { type: 'string', default: '60' }, 'settle-seconds': { type: 'string', default: '30' }, burst: { type: 'string', default: '1000' },
    'big-mib': { type: 'string', default: '100' }, 'no-build': { type: 'boolean', default: false },
  },
});
const EDITS = Number(flags.edits);
const MANUAL = Number(flags.manual);
const FILES = Number(flags.files);
const IDLE_FILES = Math.max(FILES, Number(flags['idle-files']));
const IDLE_MS = Number(flags['idle-seconds']) * 1000;
const SETTLE_MS = Number(flags['settle-seconds']) * 1000;
const BURST = Number(flags.burst);
const BIG = Number(flags['big-mib']) * 2 ** 20;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const shares = (ps: { kind: string; share: number }[]) => ps.filter((p) => p.share >= 0.0005).map((p) => `${p.kind} ${(p.share * 100).toFixed(2)} %`).join('; ');

interface Handle {
  member: {
    startInventory(): Promise<string>;
    run: { state: string; results: Map<string, unknown>; planPreset(p: { kind: 'two-way' }): { actions: unknown[] }; settle(): Promise<void>; synchronize(plan: unknown): Promise<void> };
    continuous: { loopState: string; loop: { rounds: number; fullRounds: number; lastFullMs: number; reconcileDelay: number }; echoes: number };
  };
}
type W = { __quintetCloud: Handle };

const loopIdle = (a: Page) => until(a, `window.__quintetCloud.member.continuous.loopState === 'idle'`);

/** One round by hand on A's engine, as the leader's buttons run it: inventory, Two-way, synchronize, both results in. */
async function manualRound(a: Page): Promise<void> {
  await a.evaluate(async () => {
    const m = (window as unknown as W).__quintetCloud.member;
    const wait = async (f: () => boolean) => {
      while (!f()) await new Promise((r) => setTimeout(r, 5));
    };
    await m.startInventory();
    await wait(() => m.run.state === 'compared');
    const plan = m.run.planPreset({ kind: 'two-way' });
    if (plan.actions.length === 0) return m.run.settle();
    await m.run.synchronize(plan);
    await wait(() => m.run.results.size === 2);
  });
}

const profile = await mkdtemp(join(tmpdir(), 'quintet-bench-continuous-browser-'));
let stopServer: (() => void) | null = null;
let close: (() => Promise<void>) | null = null;
const cleanup = async () => {
  await close?.().catch(() => undefined);
  stopServer?.();
  await rm(profile, { recursive: true, force: true });
};
const stopDeadline = deadline(3 * 3600, cleanup);
await runMeasures(stopDeadline, cleanup, async () => {
  if (!flags['no-build']) build(repoRoot);
  const port = await freePort();
  stopServer = await serve(repoRoot, port);
  const chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const { context, a, b, urls } = await launchPages(profile, port);
  close = () => context.close();

  log(`writing ${FILES} equal files on each side`);
  await fillFiles(a, 'a1', 'idle', 0, FILES);
  await fillFiles(b, 'b1', 'idle', 0, FILES);
  for (let i = 0; i < 10; i++) await writeText(a, 'a1', `f${i}.txt`, 'start');
  await twoMembers(a, b, urls);

  log('first round by hand (union), then writing allowed on B');
  const first0 = Date.now();
  await a.getByRole('button', { name: /^Start inventory( again)?$/ }).click();
  await b.locator('section.run[data-write-checked="true"]').waitFor({ timeout: 600_000 });
  for (const [p, code] of [[b, 'B1'], [a, 'A1']] as const) {
    const allow = p.getByRole('button', { name: `Allow writing to ${code}`, exact: true });
    if (await allow.isVisible()) await allow.click();
  }
  await until(a, `window.__quintetCloud.member.run.state === 'compared'`);
  await manualRound(a);
  const firstRoundMs = Date.now() - first0;

  log(`${MANUAL} small edits, each followed by a round by hand`);
  const manual: number[] = [];
  for (let i = 0; i < MANUAL; i++) {
    const content = `manual ${i}`;
    const t0 = await writeText(a, 'a1', `f${i % 10}.txt`, content);
    const seen = until(b, `(${readText.toString()})('b1', 'f${i % 10}.txt').then((t) => t === ${JSON.stringify(content)})`);
    await manualRound(a);
    manual.push((await seen) - t0);
  }

  log('continuous on');
  await a.getByRole('checkbox', { name: 'Continuous synchronization' }).check();
  await until(a, `window.__quintetCloud.member.continuous.loop.rounds > 0 && window.__quintetCloud.member.continuous.loopState === 'idle'`);
  log(`${EDITS} small edits, continuous`);
  const continuous: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const content = `continuous ${i}`;
    const t0 = await writeText(a, 'a1', `f${i % 10}.txt`, content);
    const t1 = await until(b, `(${readText.toString()})('b1', 'f${i % 10}.txt').then((t) => t === ${JSON.stringify(content)})`);
    continuous.push(t1 - t0);
    await loopIdle(a); // each edit on its own round
  }

  log(`small edits: continuous p50 ${pct(continuous, 50)} ms, p95 ${pct(continuous, 95)} ms; by hand p50 ${pct(manual, 50)} ms, p95 ${pct(manual, 95)} ms`);
  log(`a new ${BIG / 2 ** 20} MiB file, then 1 KiB changed inside it`);
  const big0 = await writeBig(a, 'a1', 'big.bin', BIG, null);
  const big1 = await until(b, `(${fileSize.toString()})('b1', 'big.bin').then((n) => n === ${BIG})`);
  const bigNewMs = big1 - big0;
  await loopIdle(a);
  const probe = async (p: Page, root: string) => p.evaluate(async ({ root, at }) => {
    let d = await navigator.storage.getDirectory();
    d = await d.getDirectoryHandle(root);
    const f = await (await d.getFileHandle('big.bin')).getFile();
    return new Uint8Array(await f.slice(at, at + 16).arrayBuffer()).join(',');
  }, { root, at: Math.floor(BIG / 2) });
  const edit0 = await writeBig(a, 'a1', 'big.bin', BIG, Math.floor(BIG / 2));
  const want = await probe(a, 'a1');
  let edit1 = 0;
  for (const end = Date.now() + 600_000; Date.now() < end; await sleep(10)) {
    if ((await probe(b, 'b1').catch(() => '')) === want) {
      edit1 = Date.now();
      break;
    }
  }
  const bigEditMs = edit1 - edit0;
  await loopIdle(a);

  log(`100 MiB file: new ${big1 - big0} ms, 1 KiB edit ${edit1 - edit0} ms`);
  log(`a burst of ${BURST} new files`);
  const burst0 = Date.now();
  await fillFiles(a, 'a1', 'burst', 0, BURST);
  const burst1 = await until(b, `(${countFiles.toString()})('b1', 'burst').then((n) => n === ${BURST})`);
  const burstMs = burst1 - burst0;
  await loopIdle(a);
  log(`burst: ${burstMs} ms`);

  // Paused while both sides grow alike (rounds on a half-written folder would copy what the other side is writing);
  // Resume then runs a whole round over the grown folders, as a reconciliation would: its duration sets the next
  // reconciliation's wait.
  log(`growing the idle folder to ${IDLE_FILES} files on each side (session paused)`);
  await a.getByRole('button', { name: 'Pause' }).click();
  await until(a, `window.__quintetCloud.member.continuous.loopState === 'paused'`);
  await fillFiles(a, 'a1', 'idle', FILES, IDLE_FILES);
  await fillFiles(b, 'b1', 'idle', FILES, IDLE_FILES);
  log('resume: a whole round');
  const fullRounds0 = await a.evaluate(() => (window as unknown as W).__quintetCloud.member.continuous.loop.fullRounds);
  const full0 = Date.now();
  await a.getByRole('button', { name: 'Resume' }).click();
  await until(a, `window.__quintetCloud.member.continuous.loop.fullRounds > ${fullRounds0} && window.__quintetCloud.member.continuous.loopState === 'idle'`);
  const fullRoundMs = Date.now() - full0;
  const loop = await a.evaluate(() => {
    const l = (window as unknown as W).__quintetCloud.member.continuous.loop;
    return { rounds: l.rounds, lastFullMs: l.lastFullMs, reconcileDelay: l.reconcileDelay };
  });

  // The minute of watching starts once the round's aftermath is over: for a few seconds after its last result the
  // browser commits the round's IndexedDB writes and V8 collects the round's garbage (hundreds of MiB on the leader at
  // 100,000 files), which is the round's cost, measured apart.
  log(`the round's aftermath: ${SETTLE_MS / 1000} s`);
  const aftermath = await cpuShare(() => sleep(SETTLE_MS));
  log(`aftermath: ${(aftermath.total * 100).toFixed(2)} % — ${shares(aftermath.perProcess)}`);
  log(`idle for ${IDLE_MS / 1000} s`);
  const idle = await cpuShare(() => sleep(IDLE_MS));
  const idleShare = idle.total;
  log(`idle: ${(idleShare * 100).toFixed(2)} % — ${shares(idle.perProcess)}`);
  const idleRounds = (await a.evaluate(() => (window as unknown as W).__quintetCloud.member.continuous.loop.rounds)) - loop.rounds;

  const ms = (x: number) => `${Math.round(x).toLocaleString('en')} ms`;
  const body = [
    '`npx tsx bench/continuous/browser.ts` — two browser members: Debian Chromium (headless), two pages on two origins of',
    'the app\'s Node server (each its own OPFS), real WebRTC on loopback, FileSystemObserver watching OPFS. Change-to-visible',
    'is the time from the write in A\'s page (the writable closed) to B\'s page reading the new content (polled every 10 ms',
    'in the page). The baseline, in the same run, is the same edit followed at once by a round started by hand through',
    'A\'s engine handle (what the buttons do, without the clicks): what continuous synchronization adds is the watcher, the',
    'notice and the quiet time. Idle: the CPU time of every Chromium process of the run (both members) over the wall time,',
    'from /proc, first over the seconds right after the whole round (what that round leaves to do), then over the idle',
    'minute that follows; `bench/continuous/browser-idle.ts` splits it per process and thread.',
    '',
    ...machineLines(`${chromium} (headless)`),
    `- Date: ${new Date().toISOString().slice(0, 10)}; ${FILES.toLocaleString('en')} files in each folder during the edits; the first round (by hand, a union) took ${ms(firstRoundMs)}.`,
    '',
    '| measure | continuous | by hand, right after the write | ratio |',
    '| --- | ---: | ---: | ---: |',
    `| small edit, change-to-visible p50 (${EDITS} edits; by hand ${MANUAL}) | ${ms(pct(continuous, 50))} | ${ms(pct(manual, 50))} | ${(pct(continuous, 50) / pct(manual, 50)).toFixed(2)}× |`,
    `| small edit, change-to-visible p95 | ${ms(pct(continuous, 95))} | ${ms(pct(manual, 95))} | ${(pct(continuous, 95) / pct(manual, 95)).toFixed(2)}× |`,
    `| a new ${BIG / 2 ** 20} MiB file, until whole on B | ${ms(bigNewMs)} | — | — |`,
    `| 1 KiB changed in the middle of it, until on B | ${ms(bigEditMs)} | — | — |`,
    `| burst of ${BURST.toLocaleString('en')} new files, until all are on B | ${ms(burstMs)} | — | — |`,
    `| a whole round over ${IDLE_FILES.toLocaleString('en')} files per side (Pause, Resume) | ${ms(fullRoundMs)}; next reconciliation in ${ms(loop.reconcileDelay)} | — | — |`,
    `| the ${SETTLE_MS / 1000} s right after that round (its aftermath: IndexedDB commits, V8 collecting its garbage): CPU of one core, both members | ${(aftermath.total * 100).toFixed(2)} % | — | — |`,
    `| idle watching of ${IDLE_FILES.toLocaleString('en')} files per side for ${IDLE_MS / 1000} s, after those: CPU of one core, both members | ${(idleShare * 100).toFixed(2)} % (${idleRounds} round${idleRounds === 1 ? '' : 's'}) | — | — |`,
    '',
    'Targets of issue 13: p50 under 1 s for a small edit; idle watching under 2 % of one core.',
  ].join('\n');
  await writeSection(new URL('../README.md', import.meta.url).pathname, 'Continuous: two browsers', body);
  console.log(body);
});
process.exit(process.exitCode ?? 0);
