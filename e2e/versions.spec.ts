/** Issue 15 in Chromium on OPFS folders: the Versions view restores a file and a folder, undoes a Mirror, and retention keeps what its settings say. */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Opens the Versions view on `source`, once its catalogue is read. */
async function openVersions(page: Page, source: string) {
  await page.getByRole('button', { name: 'Versions', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Versions', level: 2 })).toBeVisible();
  await page.getByLabel('Source').selectOption(source);
  await expect(page.getByText('Reading the versions…')).toHaveCount(0, { timeout: 30_000 });
  return page.getByRole('table', { name: 'Versions' });
}

/** The table rows whose row header (the path) starts with `path`, newest run first. */
const rowsOf = (page: Page, path: string) =>
  page.getByRole('table', { name: 'Versions' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${path.replace('.', '\\.')}( |$)`) }) });

async function mirrorAgain(page: Page): Promise<string> {
  await inventory(page);
  return mirror(page, 'A1', 'A2');
}

test('restores a file and a folder to an older kept version; what stood there is kept first', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'v-src', { 'r.txt': { text: 'r one\n' } });
  await writeTree(page, 'v-dst', { 'r.txt': { text: 'r zero\n' }, 'dir/a.txt': { text: 'in dir\n' }, 'dir/sub/b.txt': { text: 'deeper\n' } });
  await openLocalSession(page, ['v-src', 'v-dst']);
  expect(await mirrorAgain(page)).toBe('Synchronization complete'); // r.txt replaced (r zero kept), dir/ deleted (kept whole)
  await writeTree(page, 'v-src', { 'r.txt': { text: 'r two, longer\n' } });
  expect(await mirrorAgain(page)).toBe('Synchronization complete'); // r.txt replaced again (r one kept)

  const table = await openVersions(page, 'A2');
  await expect(table.getByRole('row')).toHaveCount(4); // header, r.txt ×2, dir
  await expect(rowsOf(page, 'r.txt')).toHaveCount(2);
  await expect(rowsOf(page, 'dir')).toContainText(['deleted']);
  await expect(rowsOf(page, 'r.txt').first()).toContainText('A1'); // which source's copy replaced it

  // The older of the two versions of r.txt (the first run's), by keyboard.
  await rowsOf(page, 'r.txt').nth(1).getByRole('button', { name: 'Restore' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('r.txt restored to its version of');
  let dst = await readTree(page, 'v-dst', { skip: '.quintet' });
  expect(dst.files['r.txt']).toBe(sha('r zero\n'));
  // What stood there (r two) is kept under the restore's own versions; the restored version itself stays listed.
  const kept = await readTree(page, 'v-dst/.quintet/versions');
  expect(Object.values(kept.files)).toContain(sha('r two, longer\n'));
  await expect(rowsOf(page, 'r.txt')).toHaveCount(3);

  // The folder, whole.
  await page.getByLabel('Search by path').fill('DIR');
  await expect(table.getByRole('row')).toHaveCount(2);
  await rowsOf(page, 'dir').getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByRole('status')).toContainText('dir restored to its version of');
  dst = await readTree(page, 'v-dst', { skip: '.quintet' });
  expect(dst.files).toEqual({ 'r.txt': sha('r zero\n'), 'dir/a.txt': sha('in dir\n'), 'dir/sub/b.txt': sha('deeper\n') });
  expect(dst.dirs).toEqual(['dir', 'dir/sub']);
  await expect(page.getByText('The sources changed: start the inventory again before synchronizing.')).toBeVisible();
});

test('Undo last run puts a Mirror’s target back as it was (replaced, deleted, created) and says what it left alone', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'u-src', { 'r.txt': { text: 'new content\n' }, 'n.txt': { text: 'created\n' }, 'made/x.txt': { text: 'x\n' } });
  await writeTree(page, 'u-dst', { 'r.txt': { text: 'old content, longer\n' }, 'd.txt': { text: 'deleted\n' }, 'old/o.txt': { text: 'o\n' }, 'old/empty': null });
  const srcBefore = await readTree(page, 'u-src');
  const dstBefore = await readTree(page, 'u-dst');
  await openLocalSession(page, ['u-src', 'u-dst']);
  expect(await mirrorAgain(page)).toBe('Synchronization complete');
  expect((await readTree(page, 'u-dst', { skip: '.quintet' })).files).toEqual(srcBefore.files);

  await openVersions(page, 'A2');
  await page.getByRole('button', { name: 'Undo last run' }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo the last run?' });
  await expect(dialog).toContainText('on A2');
  await dialog.getByRole('button', { name: 'Undo' }).click();
  const done = page.getByRole('region', { name: /^Run .* undone on A2\.$/ });
  await expect(done).toBeVisible();
  await expect(done.getByText('Put back (3)')).toBeVisible(); // r.txt, d.txt, old
  await expect(done.getByText('Removed, kept in the versions (3)')).toBeVisible(); // n.txt, made/x.txt, made
  await expect(done.getByText(/^Left alone/)).toHaveCount(0);
  const dstAfter = await readTree(page, 'u-dst', { skip: '.quintet' });
  expect(dstAfter.files).toEqual(dstBefore.files);
  expect(dstAfter.dirs).toEqual(dstBefore.dirs.filter((d) => d !== '.quintet'));
  expect(await readTree(page, 'u-src')).toEqual(srcBefore);

  // Once more, with r.txt edited after the run: undo leaves it alone and says why; the rest goes back.
  await page.getByRole('button', { name: 'Back to the session' }).click();
  expect(await mirrorAgain(page)).toBe('Synchronization complete');
  await writeTree(page, 'u-dst', { 'r.txt': { text: 'edited by hand after the run\n' } });
  await openVersions(page, 'A2');
  await page.getByRole('button', { name: 'Undo last run' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Undo' }).click();
  const second = page.getByRole('region', { name: /^Run .* undone on A2\.$/ });
  await expect(second.getByText('Left alone (1)')).toBeVisible();
  await expect(second.getByRole('listitem').filter({ hasText: 'r.txt — changed since the run' })).toBeVisible();
  const again = await readTree(page, 'u-dst', { skip: '.quintet' });
  expect(again.files).toEqual({ ...dstBefore.files, 'r.txt': sha('edited by hand after the run\n') });
});

test('retention set in the settings panel removes, at the start of a run, what its settings say and nothing else', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'k-src', { 'a.txt': { text: 'a1\n' } });
  await writeTree(page, 'k-dst', { 'a.txt': { text: 'a0\n' }, 'b.txt': { text: 'only in the target\n' } });
  await openLocalSession(page, ['k-src', 'k-dst']);
  // The safe defaults, then one version per file.
  await expect(page.getByLabel('Keep for (days)')).toHaveValue('365');
  await expect(page.getByLabel('Also remove the last version of deleted files')).not.toBeChecked();
  await page.getByLabel('Versions per file').fill('1');
  await page.getByLabel('Versions per file').blur();
  await page.getByLabel('Versions per file').fill('0');
  await page.getByLabel('Versions per file').blur();
  await expect(page.getByRole('alert')).toHaveText('Versions kept: Invalid value.');
  await page.getByLabel('Versions per file').fill('1');
  await page.getByLabel('Versions per file').blur();
  await expect(page.getByRole('alert')).toHaveCount(0);

  expect(await mirrorAgain(page)).toBe('Synchronization complete'); // run 1 keeps a0 and b.txt (deleted)
  await writeTree(page, 'k-src', { 'a.txt': { text: 'a two\n' } });
  expect(await mirrorAgain(page)).toBe('Synchronization complete'); // run 2 keeps a1; run 1 is the newest then: nothing goes
  await expect(page.getByText(/^Cleanup of old versions/)).toHaveCount(0);
  await writeTree(page, 'k-src', { 'a.txt': { text: 'a three!\n' } });
  expect(await mirrorAgain(page)).toBe('Synchronization complete'); // starts by removing a0: a.txt had two versions, one allowed
  await expect(page.getByRole('status')).toContainText('Cleanup of old versions on A2: 1 version removed (3 bytes)');

  const versions = await readTree(page, 'k-dst/.quintet/versions');
  const byRun = Object.entries(versions.files).map(([path, hash]) => `${path.split('/').slice(1).join('/')}=${hash}`).sort();
  // a0 is gone; b.txt (the last version of a deleted file) and the newer versions stay.
  expect(byRun).toEqual([`a.txt=${sha('a1\n')}`, `a.txt=${sha('a two\n')}`, `b.txt=${sha('only in the target\n')}`].sort());
  expect(Object.values(versions.files)).not.toContain(sha('a0\n'));
});

test('the Versions table renders only the rows in view, and Tab walks it by keyboard past the first screen', async ({ page }) => {
  await page.goto('/');
  // One recorded run that replaced 400 files: its manifest and its kept files, as applyPlan leaves them.
  const run = '20261001-080000';
  const spec: Record<string, { text: string }> = {};
  const entries = [];
  for (let i = 0; i < 400; i++) {
    const path = `folder${i % 10}/file${i}.txt`;
    spec[`.quintet/versions/${run}/${path}`] = { text: `v${i}\n` };
    entries.push({ type: 'replaced', path, from: 'A1', left: { kind: 'file', size: 1, blockSize: 131072, hash: 'x' }, kept: { path: `.quintet/versions/${run}/${path}`, kind: 'file' } });
  }
  spec[`.quintet/runs/${run}.json`] = { text: JSON.stringify({ v: 1, run, kind: 'sync', startedAt: Date.UTC(2026, 9, 1, 8), endedAt: Date.UTC(2026, 9, 1, 8, 1), entries }) };
  await writeTree(page, 'w-src', { 'a.txt': { text: 'a\n' } });
  await writeTree(page, 'w-dst', spec);
  await openLocalSession(page, ['w-src', 'w-dst']);
  const table = await openVersions(page, 'A2');
  await expect(page.getByText('400 kept versions in 1 run')).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', '401');
  const rendered = await table.locator('tbody tr:not([aria-hidden])').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(80);

  await table.getByRole('button', { name: 'Restore' }).first().focus();
  for (let i = 0; i < 120; i++) await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  await expect(focused).toHaveAccessibleName('Restore');
  expect(Number(await focused.locator('xpath=ancestor::tr').getAttribute('aria-rowindex'))).toBe(122);
  await expect(focused).toBeInViewport();
  expect(await table.locator('tbody tr:not([aria-hidden])').count()).toBeLessThan(80);

  await page.getByLabel('Search by path').fill('file399');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(page.getByText('1 shown')).toBeVisible();
});
