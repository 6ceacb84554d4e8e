/** One Local Mirror A1 → A2 through the app's real buttons, timed by the engine (RunResult.startedAt → endedAt). */
import type { Page } from '@playwright/test';
import { chooseMirror } from '../../e2e/support/mirror-preset.ts';
import { openLocalFresh } from '../inventory/app.ts';

export interface MirrorTiming {
  /** The engine's write phase: applyPlan's startedAt → endedAt (after permission, before the index update). */
  engineMs: number;
  /** Click on "Synchronize" → the result heading, as a person waits (includes Chrome's permission bubble if any). */
  wallMs: number;
  /** Inventory of both folders (walk + hash + compare), click → comparison shown. */
  inventoryMs: number;
  done: number;
  failures: number;
  heading: string;
}

interface BenchWindow {
  __benchResult?: { startedAt: number; endedAt: number; done: number; failures: unknown[] };
  __quintet: { session: { on(name: string, fn: (arg: unknown) => void): () => void } };
}

/**
 * Home → Local synchronization → `pick` adds A1 then A2 → inventory → Mirror A1 → A2. `afterSynchronize` runs right
 * after the confirming click (the real-disk run accepts Chrome's write-permission bubble there).
 */
export async function timedMirror(page: Page, url: string, pick: (code: 'A1' | 'A2') => Promise<void>, afterSynchronize: () => Promise<void>, timeoutMs: number): Promise<MirrorTiming> {
  await openLocalFresh(page, url);
  await pick('A1');
  await pick('A2');
  const t0 = performance.now();
  await page.getByRole('button', { name: /^(Start inventory|Start inventory again)$/ }).click();
  await page.getByRole('table', { name: 'Comparison' }).waitFor({ timeout: timeoutMs });
  await page.getByRole('button', { name: 'Cancel inventory' }).waitFor({ state: 'detached', timeout: timeoutMs });
  const inventoryMs = performance.now() - t0;

  await page.evaluate(() => {
    const w = window as unknown as BenchWindow;
    w.__quintet.session.on('sync.done', (r) => (w.__benchResult = r as BenchWindow['__benchResult']));
  });
  await chooseMirror(page, 'A1', 'A2');
  const t1 = performance.now();
  await page.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click({ noWaitAfter: true });
  await afterSynchronize();
  await page.waitForFunction(() => (window as unknown as BenchWindow).__benchResult !== undefined, undefined, { timeout: timeoutMs, polling: 100 });
  const wallMs = performance.now() - t1;
  const heading = page.getByRole('status').getByRole('heading').first();
  await heading.waitFor({ timeout: timeoutMs });
  const r = (await page.evaluate(() => (window as unknown as BenchWindow).__benchResult))!;
  return { engineMs: r.endedAt - r.startedAt, wallMs, inventoryMs, done: r.done, failures: r.failures.length, heading: (await heading.textContent()) ?? '' };
}
