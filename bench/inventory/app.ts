/** The app side: build, serve, and time the Local Session inventory of an OPFS folder in Debian's Chromium. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { installOpfsPickers } from '../../e2e/support/opfs-pickers.ts';
import type { InventoryStats } from '../../core/inventory/types.ts';
import { log } from '../shared/run-clock.ts';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface AppRun {
  /** From phase 'inventory' to 'comparison.ready', measured in the page. */
  ms: number;
  stats: InventoryStats;
  /** How A1 was walked: whole, or only what FileSystemObserver reported since the inventory before (same page). */
  walk: 'whole' | 'partial';
}

export interface AppItem {
  path: string;
  hash: string;
  blockSize: number;
  block0: string;
}

export function build(cwd: string): void {
  const r = spawnSync('npx', ['vite', 'build'], { cwd, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/** A browser benchmark's start: an empty work folder, and `vite build` unless dist/web already holds the code to measure. */
export async function freshStart(work: string, repo: string, noBuild: boolean): Promise<void> {
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  if (noBuild) return;
  log('vite build');
  build(repo);
}

/** Starts the Node server in its own process group; the returned function stops that group. */
export async function serve(cwd: string, port: number): Promise<() => void> {
  const child: ChildProcess = spawn('npx', ['tsx', 'signaling/node.ts'], { cwd, env: { ...process.env, PORT: String(port) }, detached: true, stdio: 'ignore' });
  const stop = () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  };
  // Even if the run crashes, the detached server must not outlive it.
  process.once('exit', stop);
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return stop;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error('server did not answer /health within 20 s');
}

/**
 * A persistent profile, so OPFS and the IndexedDB index live on disk as for a real user. `serviceWorkers: 'block'` when
 * builds are swapped under one origin (A/B turns): the app's service worker would serve its precached build to both.
 */
export async function launch(profileDir: string, options: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1200, height: 800 }, locale: 'en-US', serviceWorkers: options.serviceWorkers ?? 'allow' });
  // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it defined there.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await context.addInitScript(installOpfsPickers);
  return context;
}

/**
 * Home → Local synchronization with no folder: the app remembers the last local session (its folders come back and a
 * reload reopens the page), so what a previous pass left is forgotten first. The delete request is queued before the
 * next page opens the database (a connection still open only delays it until this document goes).
 */
export async function openLocalFresh(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.evaluate(() => new Promise((done) => {
    sessionStorage.removeItem('quintet.page');
    const request = indexedDB.deleteDatabase('quintet-session');
    request.onsuccess = request.onerror = request.onblocked = done;
  }));
  await page.goto(url);
  await page.getByRole('button', { name: 'Local synchronization' }).click();
}

interface BenchWindow {
  __quintetPicks: string[];
  __bench: { start: number; runs: AppRun[] };
  __quintet: {
    session: {
      on(name: string, fn: (arg: unknown) => void): () => void;
      walkOf(code: string): 'whole' | 'partial' | null;
      inventories: { stats: InventoryStats; items: { kind: string; path: string; hash?: string; blockSize?: number; blocks?: string[] }[] }[];
    };
  };
}

/**
 * Home → Local synchronization → add `folder` as A1 and an empty folder as A2 (the app compares at least two
 * sources) → inventory `runs` times; returns the engine's timings and A1's items.
 */
export async function inventoryRuns(page: Page, url: string, folder: string, runs: number, timeoutMs: number): Promise<{ runs: AppRun[]; items: AppItem[] }> {
  await openLocalFresh(page, url);
  for (const [i, f] of [folder, `${folder}-empty`].entries()) {
    await page.evaluate((f) => (window as unknown as BenchWindow).__quintetPicks.push(f), f);
    await page.getByRole('button', { name: 'Add directory' }).click();
    await page.getByRole('region', { name: 'Member A' }).getByText(`A${i + 1}`, { exact: true }).waitFor();
  }
  await page.evaluate(() => {
    const w = window as unknown as BenchWindow;
    const session = w.__quintet.session;
    w.__bench = { start: 0, runs: [] };
    session.on('phase.changed', (phase) => {
      if (phase === 'inventory') w.__bench.start = performance.now();
    });
    session.on('comparison.ready', () => {
      w.__bench.runs.push({ ms: performance.now() - w.__bench.start, stats: { ...session.inventories[0]!.stats }, walk: session.walkOf('A1') ?? 'whole' });
    });
  });
  for (let i = 1; i <= runs; i++) {
    await page.getByRole('button', { name: /^(Start inventory|Start inventory again)$/ }).click({ timeout: timeoutMs });
    await page.waitForFunction((n) => (window as unknown as BenchWindow).__bench.runs.length >= n, i, { timeout: timeoutMs, polling: 250 });
  }
  return page.evaluate(() => {
    const w = window as unknown as BenchWindow;
    const items = w.__quintet.session.inventories[0]!.items
      .filter((item) => item.kind === 'file')
      .map((item) => ({ path: item.path, hash: item.hash ?? '', blockSize: item.blockSize ?? 0, block0: item.blocks?.[0] ?? '' }));
    return { runs: w.__bench.runs, items };
  });
}

export function hardwareConcurrency(page: Page): Promise<number> {
  return page.evaluate(() => navigator.hardwareConcurrency);
}
