/**
 * Comparison grid benchmark (on demand, not part of `npm test`): a Local Session over an OPFS folder of 100,000 small
 * files and a second folder holding a tenth of them (half equal, half changed), inventoried by the real engine, the
 * Mirror preset applied, in Debian's Chromium. Measures the p95 frame time while scrolling the 100,000-row grid against
 * idle frames, and the filter's answer time against a bare filter of the same paths. Rewrites the "UI: Comparison
 * grid" section of bench/README.md.
 *
 *   npx tsx bench/ui/grid.ts [--rows 100000] [--repeat 3] [--no-build] [--no-readme] [--deadline 1200] [--profile]
 *                            [--against DIR --against-label TEXT]
 *
 * `--against DIR`: another checkout of the repository (e.g. `git archive <commit> | tar -x -C DIR`, with a
 * node_modules link), built and served beside this one and measured in the same browser, its scroll rounds
 * interleaved with this build's: a before/after under the same load.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { machineLines } from '../shared/machine.ts';
import { writeSection } from '../shared/readme-section.ts';
import { log } from '../shared/run-clock.ts';
import { localSession, median, ms, runUi, type UiRun } from './ui-run.ts';
import { build, serve } from '../inventory/app.ts';
import { freePort } from '../../e2e/support/free-port.ts';
import { writeSmallFiles } from './opfs-bulk.ts';
import { profiled, traced } from './page-profile.ts';
import { idleFrames, renderWork, scrollFrames, searchOnce, type SearchTarget } from './page-measures.ts';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    repeat: { type: 'string', default: '3' },
    deadline: { type: 'string', default: '1200' },
    'no-build': { type: 'boolean', default: false },
    'no-readme': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    against: { type: 'string' },
    'against-label': { type: 'string', default: 'the build before' },
  },
});
const ROWS = Number(flags.rows);
const REPEAT = Number(flags.repeat);
const QUERIES = ['f99999.', 'd7/', 'f12', 'status:different', 'only:A1 d5/', 'no such path'];
const FILTER: SearchTarget = { input: 'label.filter input[type="search"]', table: ':is(table, [role="table"])[aria-label="Comparison"]', changed: '.tools .count' };

/** Row `i`'s path: 100 folders, the files spread over them. */
const path = (i: number) => `d${i % 100}/f${i}.txt`;

/** A bare pass over the same paths doing what the filter's words do (lower-case substring), in the page: ms. */
async function floor(page: Page, query: string, rows: number): Promise<number> {
  return page.evaluate(([query, rows]) => {
    const paths = Array.from({ length: rows }, (_, i) => `d${i % 100}/f${i}.txt`);
    const words = query.toLowerCase().split(/\s+/).filter((w) => !w.includes(':'));
    const t0 = performance.now();
    const hits = paths.filter((p) => words.every((w) => p.toLowerCase().includes(w))).length;
    return performance.now() - t0 + hits * 0;
  }, [query, rows] as const);
}

/** Writes the folders in this page's OPFS, inventories them in a fresh Local Session, applies Mirror: seconds of inventory. */
async function prepare(page: Page, url: string): Promise<number> {
  const source: Array<[string, string]> = [];
  const target: Array<[string, string]> = [];
  for (let i = 0; i < ROWS; i++) {
    source.push([path(i), `row ${i}\n`]);
    if (i % 10 === 0) target.push([path(i), i % 20 === 0 ? `row ${i}\n` : `row ${i}, changed on A2\n`]);
  }
  await writeSmallFiles(page, 'ug-src', source);
  await writeSmallFiles(page, 'ug-dst', target);
  log(`OPFS: ${source.length} + ${target.length} files written`);

  await localSession(page, url, ['ug-src', 'ug-dst']);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Start inventory' }).click();
  await page.getByRole('table', { name: 'Comparison' }).waitFor({ timeout: 900_000 });
  await page.getByRole('button', { name: 'Cancel inventory' }).waitFor({ state: 'detached', timeout: 900_000 });
  const inventoryS = (Date.now() - t0) / 1000;
  log(`inventory and comparison of ${ROWS} rows: ${inventoryS.toFixed(1)} s`);
  const actions = page.getByRole('region', { name: 'Synchronization actions' });
  await actions.getByLabel('Preset').selectOption('mirror');
  await actions.getByLabel('From').selectOption('A1');
  await actions.getByLabel('To').selectOption('A2');
  await page.getByRole('button', { name: 'Apply preset' }).click({ timeout: 300_000 }); // planning 100,000 rows on a loaded machine
  await page.getByRole('table', { name: 'Comparison' }).getByRole('columnheader', { name: 'Action', exact: true }).waitFor();
  const shown = await page.locator(FILTER.changed!).textContent();
  log(`grid: ${shown}`);
  return inventoryS;
}

/** One scroll round: its frames and Chromium's layout + style time per frame. */
async function scrollRound(page: Page): Promise<{ frames: Awaited<ReturnType<typeof scrollFrames>>; work: number }> {
  await page.bringToFront();
  const measured = await renderWork(page, () => scrollFrames(page, 240, 'Comparison'));
  return { frames: measured.out, work: (measured.layout + measured.style) / measured.out.frames };
}

async function main({ repo, url, page, context, chromium }: UiRun): Promise<void> {
  const inventoryS = await prepare(page, url);
  let other: { page: Page; stop: () => void } | null = null;
  if (flags.against) {
    if (!flags['no-build']) build(flags.against);
    const port = await freePort();
    const stop = await serve(flags.against, port);
    const otherPage = await context.newPage();
    other = { page: otherPage, stop };
    await otherPage.goto(`http://127.0.0.1:${port}/`);
    log(`${flags['against-label']}: served on port ${port}`);
    await prepare(otherPage, `http://127.0.0.1:${port}/`);
    await page.bringToFront();
  }
  try {
    await measure({ repo, page, chromium, inventoryS, other: other?.page ?? null });
  } finally {
    other?.stop();
  }
}

async function measure({ repo, page, chromium, inventoryS, other }: { repo: string; page: Page; chromium: string; inventoryS: number; other: Page | null }): Promise<void> {
  if (flags.profile) {
    await profiled(page, 'a scroll', () => scrollFrames(page, 120, 'Comparison'));
    await traced(page, 'a scroll', 120, () => scrollFrames(page, 120, 'Comparison'));
    if (other) {
      await other.bringToFront();
      await traced(other, `a scroll in ${flags['against-label']}`, 120, () => scrollFrames(other, 120, 'Comparison'));
      await page.bringToFront();
    }
    for (const q of ['f12', 'status:different', '']) await profiled(page, `the filter "${q}"`, () => searchOnce(page, q, FILTER));
  }
  const scrolls: Array<Awaited<ReturnType<typeof scrollFrames>>> = [];
  const idles: Array<Awaited<ReturnType<typeof idleFrames>>> = [];
  const filter: number[] = [];
  const floors: number[] = [];
  /** Layout + style recalculation per scroll frame (ms), each round. */
  const work: number[] = [];
  const before: Array<Awaited<ReturnType<typeof scrollRound>>> = [];
  for (let i = 0; i < REPEAT; i++) {
    await page.bringToFront(); // a page behind another gets no animation frames
    const idle = await idleFrames(page, 240);
    // This build and the one before take turns (which goes first alternates), so load falls on both alike.
    if (other && i % 2 === 0) before.push(await scrollRound(other));
    const round = await scrollRound(page);
    if (other && i % 2 === 1) before.push(await scrollRound(other));
    const scroll = round.frames;
    work.push(round.work);
    await page.bringToFront();
    if (other) log(`round ${i + 1}, ${flags['against-label']}: scroll p95 ${ms(before.at(-1)!.frames.p95)}, ${before.at(-1)!.frames.slow} of ${before.at(-1)!.frames.frames} frames over 20 ms, layout + style ${ms(before.at(-1)!.work)} a frame`);
    idles.push(idle);
    scrolls.push(scroll);
    for (const q of QUERIES) {
      filter.push(await searchOnce(page, q, FILTER));
      floors.push(await floor(page, q, ROWS));
      await searchOnce(page, '', FILTER);
    }
    log(`round ${i + 1}: scroll p95 ${ms(scroll.p95)}, ${scroll.slow} of ${scroll.frames} frames over 20 ms (idle ${ms(idle.p95)}, ${idle.slow}), layout + style ${ms(work.at(-1)!)} a frame, rows in DOM ≤ ${scroll.maxRows}; filter ${filter.slice(-QUERIES.length).map(ms).join(', ')}`);
  }
  const p95 = median(scrolls.map((s) => s.p95));
  const idleP95 = median(idles.map((s) => s.p95));
  const maxRows = Math.max(...scrolls.map((s) => s.maxRows));
  const rows = [
    '| measure | comparison grid | baseline in the same run | ratio | target |',
    '| --- | ---: | ---: | ---: | --- |',
    `| scroll frame time p95 (240 frames, 400 px a frame), median of ${REPEAT} rounds | ${ms(p95)} (rounds ${scrolls.map((s) => ms(s.p95)).join(', ')}; worst frame ${ms(Math.max(...scrolls.map((s) => s.max)))}) | idle frames p95: ${ms(idleP95)} | ${(p95 / idleP95).toFixed(2)}× | < 20 ms: ${p95 < 20 ? 'met' : '**NOT met**'} |`,
    `| filter answer (input → rows painted), median of ${filter.length} | ${ms(median(filter))} (max ${ms(Math.max(...filter))}) | bare \`filter\` of the ${ROWS} paths: ${ms(median(floors))} | — | < 100 ms: ${median(filter) < 100 ? 'met' : '**NOT met**'} |`,
    `| Chromium's layout + style recalculation per scroll frame, median of ${REPEAT} rounds | ${ms(median(work))} (rounds ${work.map(ms).join(', ')}) | — | — | — |`,
    `| scroll frames over 20 ms, all rounds | ${scrolls.reduce((a, s) => a + s.slow, 0)} of ${scrolls.reduce((a, s) => a + s.frames, 0)} | idle: ${idles.reduce((a, s) => a + s.slow, 0)} of ${idles.reduce((a, s) => a + s.frames, 0)} | — | — |`,
    ...(other ? [
      `| the same scroll in ${flags['against-label']}, same run, rounds taking turns: p95 | ${ms(median(before.map((b) => b.frames.p95)))} (rounds ${before.map((b) => ms(b.frames.p95)).join(', ')}) | this build: ${ms(p95)} | ${(p95 / median(before.map((b) => b.frames.p95))).toFixed(2)}× | — |`,
      `| the same, frames over 20 ms, all rounds | ${before.reduce((a, b) => a + b.frames.slow, 0)} of ${before.reduce((a, b) => a + b.frames.frames, 0)} | this build: ${scrolls.reduce((a, s) => a + s.slow, 0)} of ${scrolls.reduce((a, s) => a + s.frames, 0)} | — | — |`,
      `| the same, layout + style per frame, median | ${ms(median(before.map((b) => b.work)))} | this build: ${ms(median(work))} | ${(median(work) / median(before.map((b) => b.work))).toFixed(2)}× | — |`,
    ] : []),
    `| table rows in the DOM while scrolling | ≤ ${maxRows} | ${ROWS} rows | — | — |`,
  ];
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/ui/grid.ts\` (Local Session; A1 an OPFS folder of ${ROWS} small files in 100 folders, A2 a tenth of them, half equal and half changed; inventoried by the engine in ${inventoryS.toFixed(0)} s, then the Mirror preset A1 → A2 applied, so every row has its status and action; viewport 1200×800; queries ${QUERIES.map((q) => `\`${q}\``).join(', ')}, each followed by clearing the box).`,
    '',
    ...machineLines(`${chromium} (headless, persistent profile)`),
    '',
    ...rows,
    '',
    'Reading: the grid is the page\'s own: the rows come from the real engine\'s comparison through `LocalSessionState` into `ComparisonTable`, nothing injected (the files are written in OPFS by a worker\'s sync access handles, about 4 minutes for the 110,000 here, and inventoried by the engine). Past 200 rows the grid keeps only the rows in view and 12 either side in the DOM, with spacer rows for the rest, so a scroll frame costs the same at 100,000 rows as at 100. A filter answer is parsing the box, one pass over the rows and Svelte\'s update of the window and the count, up to one painted frame. The p95 of frame intervals is a whole number of vsyncs (16.7, 33.3, 50 ms): the count of frames over 20 ms and Chromium\'s own layout and style time per frame (CDP `Performance.getMetrics`) say more under a shared machine\'s load.',
    ...(p95 < 20 ? [] : ['', `Why the p95 misses 20 ms here: the idle page's own frames are late as often under this load (above: frames over 20 ms while idle); \`--profile\` traces a scroll frame's main-thread work (Chromium's trace events: paint, layout, commit) and, with \`--against\`, the build before in the same run.`]),
  ].join('\n');
  console.log(body);
  if (!flags['no-readme']) await writeSection(join(repo, 'bench/README.md'), 'UI: Comparison grid', body);
}

runUi({ deadline: Number(flags.deadline), noBuild: flags['no-build'] }, main);
