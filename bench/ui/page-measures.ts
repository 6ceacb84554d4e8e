/** Measures taken inside the page for bench/ui: frame times, a scroll of a windowed table (Versions, Conflicts), a search, and their floors. */
import type { Page } from '@playwright/test';

export interface Frames {
  p50: number;
  p95: number;
  max: number;
  frames: number;
  /** Frames longer than 20 ms (a missed vsync at 60 Hz): less quantized than the p95, which is a whole number of vsyncs. */
  slow: number;
}

/** p50, p95 and max of frame intervals (ms). */
function stats(deltas: number[]): Frames {
  const s = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: s.at(-1) ?? 0, frames: s.length, slow: s.filter((d) => d > 20).length };
}

/** Frame intervals of an idle page: the floor a scroll's frames compare to. */
export async function idleFrames(page: Page, count: number): Promise<Frames> {
  const deltas = await page.evaluate(async (count) => {
    const out: number[] = [];
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    for (let i = 0; i < count; i++) {
      const now = await new Promise<number>((r) => requestAnimationFrame(r));
      out.push(now - last);
      last = now;
    }
    return out;
  }, count);
  return stats(deltas);
}

/** Scrolls the table named `name` 400 px a frame (then back to the top), recording frame intervals and the rows rendered. */
export async function scrollFrames(page: Page, count: number, name = 'Versions'): Promise<Frames & { maxRows: number }> {
  const { deltas, maxRows } = await page.evaluate(async ([count, name]) => {
    // A <table> (Versions, Conflicts) or boxes with ARIA table roles (the comparison grid), inside its scrolling box.
    const table = document.querySelector(`:is(table, [role="table"])[aria-label="${name}"]`) as HTMLElement;
    const viewport = table.parentElement as HTMLElement;
    const bodyRows = () => (table instanceof HTMLTableElement ? table.tBodies[0]!.rows.length : table.querySelectorAll('[role="rowgroup"]:last-child [role="row"]').length);
    const out: number[] = [];
    let maxRows = 0;
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    for (let i = 0; i < count; i++) {
      viewport.scrollTop += 400;
      const now = await new Promise<number>((r) => requestAnimationFrame(r));
      out.push(now - last);
      last = now;
      maxRows = Math.max(maxRows, bodyRows());
    }
    viewport.scrollTop = 0;
    return { deltas: out, maxRows };
  }, [count, name] as const);
  return { ...stats(deltas), maxRows };
}

/** Where a view's search box and table are: the Versions view's by default. */
export interface SearchTarget {
  input: string;
  table: string;
  /** An element whose text changes with the answer (a count), when the table has no aria-rowcount. */
  changed?: string;
}
const VERSIONS_SEARCH: SearchTarget = { input: '#versions-search', table: 'table[aria-label="Versions"]' };

/** Types `query` in the search box at once and waits until the table shows its answer, painted: ms. */
export async function searchOnce(page: Page, query: string, target: SearchTarget = VERSIONS_SEARCH): Promise<number> {
  return page.evaluate(async ([query, target]) => {
    const input = document.querySelector(target.input) as HTMLInputElement;
    const table = document.querySelector(target.table) as HTMLElement;
    const mark = () => (target.changed ? document.querySelector(target.changed)?.textContent : table.getAttribute('aria-rowcount'));
    const before = mark();
    const t0 = performance.now();
    input.value = query;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    // Svelte applies the change in a microtask; the answer counts once the next frame is painted.
    for (let i = 0; i < 100 && mark() === before && query !== ''; i++) await Promise.resolve();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, [query, target] as const);
}

/** The same search as a bare filter over the rows' paths (the Versions bench's 10,000 unless given), in the page: ms. */
export async function searchFloor(page: Page, query: string, given?: readonly string[]): Promise<number> {
  return page.evaluate(([query, given]) => {
    const paths = given ?? Array.from({ length: 10_000 }, (_, i) => `folder${i % 100}/file${i}.txt`);
    const t0 = performance.now();
    const q = query.toLowerCase();
    const hits = paths.filter((p) => p.toLowerCase().includes(q)).length;
    return performance.now() - t0 + hits * 0;
  }, [query, given] as const);
}

/** A bare walk of `root`/.quintet/versions in OPFS reading every file's size: the floor of the catalogue read (ms). */
export async function floorWalk(page: Page, root: string): Promise<number> {
  return page.evaluate(async (root) => {
    const t0 = performance.now();
    let dir = await navigator.storage.getDirectory();
    for (const part of [root, '.quintet', 'versions']) dir = await dir.getDirectoryHandle(part);
    let files = 0;
    async function walk(d: FileSystemDirectoryHandle): Promise<void> {
      for await (const child of (d as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) {
        if (child.kind === 'directory') await walk(child as FileSystemDirectoryHandle);
        else {
          await (child as FileSystemFileHandle).getFile();
          files++;
        }
      }
    }
    await walk(dir);
    return files > 0 ? performance.now() - t0 : -1;
  }, root);
}

/** Chromium's own time (ms) in layout, style and script while `step` ran (CDP Performance metrics): the work behind the frames. */
export async function renderWork<T>(page: Page, step: () => Promise<T>): Promise<{ out: T; layout: number; style: number; script: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
    const at = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { layout: at('LayoutDuration'), style: at('RecalcStyleDuration'), script: at('ScriptDuration') };
  };
  const before = await read();
  const out = await step();
  const after = await read();
  await cdp.detach();
  return { out, layout: after.layout - before.layout, style: after.style - before.style, script: after.script - before.script };
}
