/** A page of the built app in a fresh persistent Chromium profile, with a worker's source at `window.__src` (bench/local's OPFS probes). */
import { resolve } from 'node:path';
import { rm } from 'node:fs/promises';
import type { BrowserContext, Page } from '@playwright/test';
import { launch, serve } from '../inventory/app.ts';
import { freePort } from '../../e2e/support/free-port.ts';

/** What the page holds for the probes: the worker source's blob URL (and, for some, a running worker). */
export interface BenchWindow {
  __src: string;
  __w: Worker;
}

/**
 * Serves this checkout's dist/web (`npx vite build` first), opens it in a fresh profile at `profileDir` (its OPFS on
 * disk, as a user's) and puts `workerSource` at `window.__src` as a blob URL, for `new Worker(window.__src)`.
 */
export async function workerPage(profileDir: string, workerSource: string): Promise<{ page: Page; context: BrowserContext; close(): Promise<void> }> {
  await rm(profileDir, { recursive: true, force: true });
  const port = await freePort();
  const stop = await serve(resolve('.'), port);
  const context = await launch(profileDir);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://localhost:${port}/`);
  await page.evaluate((s) => ((window as unknown as BenchWindow).__src = URL.createObjectURL(new Blob([s], { type: 'text/javascript' }))), workerSource);
  return {
    page,
    context,
    async close() {
      await context.close();
      stop();
    },
  };
}
