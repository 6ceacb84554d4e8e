/** Issue 15 on a Local Session: a Two-way's two conflict copies resolved in bulk from the Conflicts view (all selected at once, then Keep this, Keep both); folders and versions checked, axe on the view. */
import { createHash } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, openLocalSession, inventory } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { applyTwoWay, confirmRun } from './support/two-way.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const text = (who: string, f: string) => `${f} edited on ${who}\nsecond line\n`;

/** The files of a folder outside `.quintet`, and the hashes of everything kept under its versions. */
async function folder(page: Page, root: string): Promise<{ files: Record<string, string>; versions: string[] }> {
  const all = await readTree(page, root);
  const files = Object.fromEntries(Object.entries(all.files).filter(([p]) => !p.startsWith('.quintet/')));
  const versions = Object.entries(all.files).filter(([p]) => p.startsWith('.quintet/versions/')).map(([, h]) => h);
  return { files, versions };
}

/** Fails on any serious or critical axe violation (WCAG 2.1 A and AA) of the page as it is. */
async function axeClean(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(grave, `axe on "${screen}"`).toEqual([]);
}

test('a local Two-way’s two conflicts, resolved in one run (Keep this, Keep both): both folders show it, the discarded sides in versions', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'lc-one', { 'x.txt': { text: 'x as it was\n' }, 'docs/y.txt': { text: 'y as it was\n' } });
  await writeTree(page, 'lc-two', {});
  await openLocalSession(page, ['lc-one', 'lc-two']);
  await inventory(page);
  await applyTwoWay(page);
  expect(await confirmRun(page)).toBe('Synchronization complete'); // the base both later edits are measured against

  // Both files edited on both sides; A2's edits are newer and win, A1's become conflict copies on both folders.
  await writeTree(page, 'lc-one', { 'x.txt': { text: text('A1', 'x') }, 'docs/y.txt': { text: text('A1', 'y') } });
  await page.waitForTimeout(1100); // newer by their mtime (seconds on some file systems)
  await writeTree(page, 'lc-two', { 'x.txt': { text: text('A2', 'x') }, 'docs/y.txt': { text: text('A2', 'y') } });
  await inventory(page);
  await applyTwoWay(page);
  expect(await confirmRun(page)).toBe('Synchronization complete');
  const copies = Object.keys((await folder(page, 'lc-two')).files).filter((p) => p.includes('.conflict-A1-')).sort();
  expect(copies).toHaveLength(2);
  const [yCopy, xCopy] = copies as [string, string]; // docs/… sorts first

  await inventory(page);
  await page.getByRole('button', { name: 'Conflicts', exact: true }).click();
  const table = page.getByRole('table', { name: 'Conflicts' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row').filter({ hasText: xCopy })).toContainText('x.txt');

  // Side by side, by keyboard: the text diff and either file opened.
  await page.getByRole('button', { name: `Compare ${xCopy}` }).focus();
  await page.keyboard.press('Enter');
  const detail = page.getByRole('region', { name: 'Side by side: x.txt' });
  await expect(detail).toContainText('A1, A2');
  await expect(detail.locator('ins')).toHaveText('x edited on A1\n');
  await expect(detail.locator('del')).toHaveText('x edited on A2\n');
  let download = page.waitForEvent('download');
  await detail.getByRole('button', { name: 'Open the other' }).click();
  expect((await download).suggestedFilename()).toBe('x.txt');
  download = page.waitForEvent('download');
  await detail.getByRole('button', { name: 'Open this' }).click();
  expect((await download).suggestedFilename()).toBe(xCopy);
  await axeClean(page, 'local conflicts, side by side');

  // In bulk: every shown copy selected at once and one choice for all of them; then each one its own (the later choice wins).
  await table.getByRole('checkbox', { name: 'Select all shown' }).check();
  await expect(page.getByText('2 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Keep the other', exact: true }).click();
  for (const copy of copies) await expect(table.getByRole('row').filter({ hasText: copy })).toContainText('keep the original');
  await expect(table.getByRole('checkbox', { name: 'Select all shown' })).not.toBeChecked();

  for (const [copy, button] of [[xCopy, 'Keep this'], [yCopy, 'Keep both']] as const) {
    await table.getByRole('checkbox', { name: `Select ${copy}` }).check();
    await page.getByRole('button', { name: button, exact: true }).click();
  }
  await expect(table.getByRole('row').filter({ hasText: xCopy })).toContainText('keep the copy');
  await expect(table.getByRole('row').filter({ hasText: yCopy })).toContainText('keep both (copy renamed)');
  await axeClean(page, 'local conflicts, choices made');
  expect(await confirmRun(page)).toBe('Synchronization complete');

  const keptY = `docs/y (A1 ${/conflict-A1-(\d{8}-\d{6})/.exec(yCopy)?.[1]}).txt`;
  for (const root of ['lc-one', 'lc-two']) {
    const { files, versions } = await folder(page, root);
    expect(files, root).toEqual({
      'x.txt': sha(text('A1', 'x')), // keep this: the copy's content at the original's path, the copy gone
      'docs/y.txt': sha(text('A2', 'y')), [keptY]: sha(text('A1', 'y')), // keep both: the copy renamed
    });
    // The discarded side is kept: A2's x, which the copy replaced.
    expect(versions, root).toContain(sha(text('A2', 'x')));
  }

  // Nothing left to resolve: the view, still open, shows the new comparison's.
  await inventory(page);
  await expect(page.getByRole('button', { name: 'Conflicts', exact: true })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByText('No conflict copies in these folders.')).toBeVisible();
});
