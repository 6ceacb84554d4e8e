/** Issue 3: session settings (exclusions), the comparison filter, targeted actions on ticked rows, and a rule, in Chromium. */
import { test, expect, openLocalSession, inventory } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { confirmRun } from './support/two-way.ts';

test('exclusions, filter, targeted actions and rules drive the plan', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'left', {
    'keep.txt': { text: 'keep\n' },
    'debug.log': { text: 'noise\n' },
    '.env': { text: 'secret\n' },
    'build/out.bin': { text: 'built\n' },
    'only-left.txt': { text: 'left\n' },
    'photos/big.jpg': { size: 300_000, seed: 1 },
  });
  await writeTree(page, 'right', { 'keep.txt': { text: 'keep\n' }, 'only-right.txt': { text: 'right\n' }, 'stale.tmp': { text: 'old\n' } });
  await openLocalSession(page, ['left', 'right']);

  // Settings: every control is there by its name; exclusions in gitignore syntax plus hidden files.
  for (const label of ['Analysis mode', 'Data type', 'Matching', 'Case sensitive', 'Exclude system files']) await expect(page.getByLabel(label, { exact: true })).toBeVisible();
  await page.getByLabel('Analysis mode').selectOption('checksum');
  await page.getByLabel('Exclude hidden files').check();
  // A pattern past the length limit is refused next to the box, which says it is invalid; fixing it clears that.
  const patterns = page.getByLabel('Exclusion patterns');
  await patterns.fill(`*.log\n${'x'.repeat(1001)}`);
  await patterns.blur();
  await expect(patterns).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#patterns-error')).toBeVisible();
  await page.getByLabel('Exclusion patterns').fill('*.log\nbuild/');
  await page.getByLabel('Exclusion patterns').blur();
  await expect(patterns).toHaveAttribute('aria-invalid', 'false');
  await inventory(page);
  const table = page.getByRole('table', { name: 'Comparison' });
  const rows = () => table.getByRole('rowheader').allTextContents();
  expect((await rows()).sort()).toEqual(['keep.txt', 'only-left.txt', 'only-right.txt', 'photos', 'photos/big.jpg', 'stale.tmp']);

  // Filter: text, status and "only on" tokens.
  const filter = page.getByLabel('Filter');
  await filter.fill('only:A1');
  expect(await rows()).toEqual(['only-left.txt', 'photos', 'photos/big.jpg']);
  await filter.fill('status:missing right');
  expect(await rows()).toEqual(['only-right.txt']);
  await filter.fill('');

  // Targeted actions on ticked rows: copy only-left.txt from A1, delete stale.tmp on A2.
  await page.getByRole('checkbox', { name: 'Select only-left.txt' }).check();
  await page.getByLabel('Targeted action').selectOption({ label: 'Copy from A1' });
  await page.getByRole('button', { name: 'Apply to selected items' }).click();
  await page.getByRole('checkbox', { name: 'Select stale.tmp' }).check();
  await page.getByLabel('Targeted action').selectOption({ label: 'Delete on A2' });
  await page.getByRole('button', { name: 'Apply to selected items' }).click();
  await filter.fill('has:actions');
  expect(await rows()).toEqual(['only-left.txt', 'stale.tmp']);
  await filter.fill('');

  // A rule: files larger than 100,000 bytes on A1 are copied to A2 (the photo's folder comes with it).
  await page.getByRole('button', { name: 'Add rule' }).click();
  const editor = page.getByRole('dialog');
  await editor.getByRole('button', { name: 'Add condition' }).click();
  await editor.getByLabel('On', { exact: true }).selectOption('size');
  await editor.getByLabel('Operator', { exact: true }).selectOption('gt');
  // Saved empty, the size is refused next to its field (it once became "Size < 0"); a unit is understood.
  await editor.getByRole('button', { name: 'Save rule' }).click();
  await expect(editor.getByText('Type a size, e.g. 10 MB.')).toBeVisible();
  await expect(editor.getByLabel('Size', { exact: true })).toBeFocused();
  await editor.getByLabel('Size', { exact: true }).fill('100 parsecs');
  await expect(editor.getByText(/^Not a size/)).toBeVisible();
  await editor.getByLabel('Size', { exact: true }).fill('100 kB');
  await expect(editor.getByText(/^Not a size/)).toHaveCount(0);
  await editor.getByLabel('Action', { exact: true }).selectOption('copy');
  await editor.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Size A1 > 100 kB' })).toBeVisible();
  // A contradictory targeted action is refused with its reason: copying identical content.
  await page.getByRole('checkbox', { name: 'Select keep.txt' }).check();
  await page.getByLabel('Targeted action').selectOption({ label: 'Copy from A1' });
  await page.getByRole('button', { name: 'Apply to selected items' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'keep.txt: A2 already holds this content.' })).toBeVisible();

  expect(await confirmRun(page)).toBe('Synchronization complete');
  const right = await readTree(page, 'right', { skip: '.quintet' });
  expect(Object.keys(right.files).sort()).toEqual(['keep.txt', 'only-left.txt', 'only-right.txt', 'photos/big.jpg']);
  expect(right.files['photos/big.jpg']).toBe((await readTree(page, 'left')).files['photos/big.jpg']);
});
