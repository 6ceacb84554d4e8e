/**
 * The lifecycle every bench/ui script shares: build the app, serve it on a free port, open Debian's Chromium on a
 * fresh persistent profile, run the measures under a deadline, and always close the browser, stop the server and
 * delete the profile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import type { BrowserContext, Page } from '@playwright/test';
import { freePort } from '../../e2e/support/free-port.ts';
import { build, launch, openLocalFresh, serve } from '../inventory/app.ts';
import { deadline } from '../shared/run-clock.ts';

/** What a run's measures get: the repository, the app's address, a page of the persistent context. */
export interface UiRun {
  repo: string;
  url: string;
  context: BrowserContext;
  page: Page;
  /** `chromium --version`, for the machine lines. */
  chromium: string;
}

export interface UiRunOptions {
  /** Seconds before the run is stopped (and everything cleaned). */
  deadline: number;
  /** Skip `vite build` (dist/web is already the code to measure). */
  noBuild: boolean;
  /** Also open the browser; false for measures that launch their own. */
  browser?: boolean;
}

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Runs `measure` in the shared set-up; sets the exit code on failure and cleans up in every case. */
export function runUi(options: UiRunOptions, measure: (run: UiRun) => Promise<void>): void {
  let context: BrowserContext | null = null;
  let stopServer: (() => void) | null = null;
  let profile = '';
  const cleanup = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    context = null;
    stopServer?.();
    stopServer = null;
    if (profile) await rm(profile, { recursive: true, force: true });
    profile = '';
  };
  const stopDeadline = deadline(options.deadline, cleanup);
  const main = async (): Promise<void> => {
    if (!options.noBuild) build(repoRoot);
    const port = await freePort();
    stopServer = await serve(repoRoot, port);
    const url = `http://127.0.0.1:${port}/`;
    const chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (options.browser === false) return measure({ repo: repoRoot, url, context: null as unknown as BrowserContext, page: null as unknown as Page, chromium });
    profile = await mkdtemp(join(tmpdir(), 'quintet-bench-ui-'));
    context = await launch(profile);
    const page = await context.newPage();
    await page.goto(url);
    await measure({ repo: repoRoot, url, context, page, chromium });
  };
  main()
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(async () => {
      stopDeadline();
      await cleanup();
    });
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
export const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** A fresh Local Session (nothing remembered) with the OPFS folders `folders` added as A1, A2 … through the real button. */
export async function localSession(page: Page, url: string, folders: readonly string[]): Promise<void> {
  await openLocalFresh(page, url);
  for (const [n, f] of folders.entries()) {
    await page.evaluate((f) => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push(f), f);
    await page.getByRole('button', { name: 'Add directory' }).click();
    await page.getByRole('region', { name: 'Member A' }).getByText(`A${n + 1}`, { exact: true }).waitFor();
  }
}
