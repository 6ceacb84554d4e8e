/** Quintet's side, (c) and (d): Mirror A1 → B1 in a 2-member Cloud Session between the two pages, timed and verified. */
import type { Page } from '@playwright/test';
import { readTree } from '../../e2e/support/opfs-tree.ts';
import { channelBytesReceived } from './pc-stats.ts';
import { chooseMirror } from '../../e2e/support/mirror-preset.ts';
import { addDirectory, allowWriting, joinSession, meshed, phaseAt, recordPhases, startSession, type CloudWindow } from './quintet-ui.ts';

export interface QuintetRun {
  /** From the leader's session entering `syncing` to both members `synced`, wall clock across the two pages. */
  seconds: number;
  /** Data-channel payload bytes B received during the run (all peer connections of B's page). */
  channelBytes: number;
}

/** Thrown when the build has no cross-member sync to drive: the run is reported as not measured, with this reason. */
export class NotAvailable extends Error {}

export async function phase(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as CloudWindow).__quintetCloud?.session.phase ?? 'none');
}

export async function waitPhase(page: Page, wanted: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await phase(page)) !== wanted) {
    if (Date.now() > end) throw new Error(`timed out waiting for phase ${wanted} (now ${await phase(page)})`);
    await page.waitForTimeout(100);
  }
}

/**
 * Starts a session on `a` (leader, member A), joins it from `b`, adds the OPFS folders `source` (A1) and `target`
 * (B1, empty), calls `fill` to write A1's content, inventories, applies the Mirror A1 → B1 preset and synchronizes;
 * checks B1 against `expected` (path → SHA-256) file by file. `around`, if given, starts a probe just before the
 * synchronization and returns what stops it once both members are synced.
 */
export async function quintetMirror(a: Page, b: Page, urls: [string, string], source: string, target: string, expected: Map<string, string>, fill: () => Promise<void>, timeoutMs: number, around?: () => Promise<() => Promise<void>>): Promise<QuintetRun> {
  const { id, password } = await startSession(a, urls[0]);
  await joinSession(b, urls[1], id, password, 'B');
  for (const page of [a, b]) await meshed(page, 2);
  await addDirectory(a, 'A', source, 'A1');
  await addDirectory(b, 'B', target, 'B1');
  const start = a.getByRole('button', { name: /^(Start inventory|Start inventory again)$/ });
  if (!(await start.waitFor({ timeout: 15_000 }).then(() => true, () => false))) {
    throw new NotAvailable('the cloud page has no "Start inventory" control: cross-member synchronization is not in this build');
  }
  await fill(); // A1's content, written only once the run can happen (the inventory reads it at start)
  await start.click();
  await waitPhase(a, 'ready', timeoutMs);
  await allowWriting(b);
  await chooseMirror(a, 'A1', 'B1');
  for (const page of [a, b]) await recordPhases(page);
  const before = await channelBytesReceived(b);
  const stop = await around?.(); // a probe over the synchronization only (bench/transfer/file-ab.ts --profile)
  await a.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
  for (const page of [b, a]) await waitPhase(page, 'synced', timeoutMs);
  await stop?.();
  const channelBytes = (await channelBytesReceived(b)) - before;
  const t0 = await phaseAt(a, 'syncing');
  const ends = await Promise.all([phaseAt(a, 'synced'), phaseAt(b, 'synced')]);
  if (t0 === undefined || ends.includes(undefined)) throw new Error('phase times missing');
  const seconds = (Math.max(...(ends as number[])) - t0) / 1000;

  const got = await readTree(b, target, { skip: '.quintet' });
  const wrong = [...expected].filter(([path, hash]) => got.files[path] !== hash).length;
  const extra = Object.keys(got.files).filter((path) => !expected.has(path)).length;
  if (wrong > 0 || extra > 0) throw new Error(`B1 differs from A1 after the run: ${wrong} missing or different, ${extra} extra`);
  return { seconds, channelBytes };
}
