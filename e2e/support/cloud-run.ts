/** e2e helpers for cloud runs: add a folder, start the inventory (A), plan a preset and synchronize, wait on every page. */
import { expect, type Page } from '@playwright/test';
import { writeTree, type TreeSpec } from './opfs-tree.ts';

/** The member allows writing to its folder, as its user would when the page asks (folders are picked read-only). */
export async function allowWriting(page: Page, code: string, timeout = 150_000): Promise<void> {
  const button = page.getByRole('button', { name: `Allow writing to ${code}`, exact: true });
  await expect(button).toBeVisible({ timeout });
  await button.click();
  await expect(button).toHaveCount(0);
}

/**
 * Queues an OPFS folder for the picker and adds it through this member's own "Add directory" button. A click the page
 * never handled leaves the pick queued (the picker takes it first thing): it is clicked again, since a re-render on a
 * loaded machine can swallow one; a pick the page took is the app's to show within `timeout`, never retried.
 */
export async function addFolder(page: Page, letter: string, folder: string, n = 1, timeout = 30_000): Promise<void> {
  const queued = () => page.evaluate((path) => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.includes(path), folder);
  await page.evaluate((path) => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push(path), folder);
  const block = page.getByRole('region', { name: `Member ${letter}` });
  const button = block.getByRole('button', { name: 'Add directory' });
  const shown = block.getByText(`${letter}${n}`, { exact: true });
  const deadline = Date.now() + timeout;
  await button.click();
  for (;;) {
    try {
      await expect(shown).toBeVisible({ timeout: Math.max(1, Math.min(10_000, deadline - Date.now())) });
      return;
    } catch (error) {
      const clickLost = await queued();
      if (Date.now() >= deadline) throw new Error(`${letter}${n} not shown after ${timeout} ms; the picker ${clickLost ? 'was never called (the click was lost)' : 'took the folder'}`, { cause: error });
      if (clickLost) await button.click();
    }
  }
}

/**
 * Three members' first folders: each page's OPFS folder written from its tree, added through its own block (A1, B1,
 * C1 in that order), and every page showing C1 (so every member knows the others' folders before a run).
 */
export async function addFoldersOfThree(pages: readonly [Page, Page, Page], folders: ReadonlyArray<readonly [string, TreeSpec]>): Promise<void> {
  for (const [i, page] of pages.entries()) await writeTree(page, folders[i]![0], folders[i]![1]);
  for (const [i, page] of pages.entries()) await addFolder(page, 'ABC'[i]!, folders[i]![0]);
  for (const page of pages) await expect(page.getByRole('region', { name: 'Member C' })).toContainText('C1');
}

/**
 * A starts the inventory; waits until every page shows the comparison. Folders are picked read-only: unless told
 * otherwise, every other member then allows writing to its folders ("Allow writing to B1"), as its user would.
 */
export async function inventory(leader: Page, pages: Page[], options: { allowWrite?: boolean } = {}): Promise<void> {
  await leader.getByRole('button', { name: /^Start inventory( again)?$/ }).click();
  for (const page of pages) await expect(page.getByRole('table', { name: 'Comparison' })).toBeVisible({ timeout: 170_000 });
  if (options.allowWrite === false) return;
  for (const page of pages) {
    if (page === leader) continue;
    await expect(page.locator('section.run[data-write-checked="true"]')).toBeVisible();
    for (const name of await page.getByRole('button', { name: /^Allow writing to / }).allTextContents()) {
      await page.getByRole('button', { name, exact: true }).click();
      await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
    }
  }
}

/** A applies a preset, confirms, and waits until every page reports the run; returns each page's status heading. */
export async function synchronize(leader: Page, pages: Page[], preset: 'mirror' | 'two-way' | 'update', from = '', to = '', timeout = 170_000): Promise<string[]> {
  // Within the actions panel: the row checkboxes ("Select top.txt") would also match a bare label "To".
  const actions = leader.getByRole('region', { name: 'Synchronization actions' });
  await actions.getByLabel('Preset').selectOption(preset);
  if (from) await actions.getByLabel('From').selectOption(from);
  if (to) await actions.getByLabel('To').selectOption(to);
  await leader.getByRole('button', { name: 'Apply preset' }).click();
  await leader.getByRole('button', { name: 'Start synchronization' }).click();
  await leader.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
  const out: string[] = [];
  for (const page of pages) {
    const heading = page.getByRole('heading', { name: /^Synchronization (complete|finished with (\d+ errors( and \d+ skipped)?|\d+ skipped))$/ });
    await expect(heading).toBeVisible({ timeout });
    out.push((await heading.textContent()) ?? '');
  }
  return out;
}

/** What the page's engine handle reports: payload counters and the data channels' own byte counts. */
export async function transferStats(page: Page): Promise<{ counters: { pulledBytes: number; reusedBytes: number; servedBytes: number }; channels: Record<string, { bytesSent: number; bytesReceived: number }> }> {
  return page.evaluate(async () => {
    const h = (window as unknown as { __quintetCloud: { counters(): never; channelStats(): Promise<never> } }).__quintetCloud;
    return { counters: h.counters(), channels: await h.channelStats() };
  });
}
