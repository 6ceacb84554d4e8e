/** Issue 3: a big comparison renders only its visible window, scrolls, and the filter reaches any row; issue 14: its inventory's progress. */
import { test, expect, openLocalSession } from './support/fixtures.ts';
import { writeTree, type TreeSpec } from './support/opfs-tree.ts';

const FILES = 12_000;

test('a 12,000-row comparison stays windowed, scrollable and filterable, after an inventory that showed its progress and the file at hand', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('/');
  const spec: TreeSpec = {};
  for (let i = 0; i < FILES; i++) spec[`d${String(i % 40).padStart(2, '0')}/f${String(i).padStart(5, '0')}.txt`] = { text: `${i}\n` };
  await writeTree(page, 'big', spec);
  await writeTree(page, 'empty', {});
  await openLocalSession(page, ['big', 'empty']);
  // Issue 14: the progress counts the files found and the bytes hashed, with the file at hand. Files are hashed as the
  // walk finds them, so with small files the hashing keeps up with the walk: 'hashing n of m · about … left' shows only
  // when some is left once the walk is over (the page's unit tests follow that time left: web/src/state).
  await page.getByRole('button', { name: 'Start inventory' }).click();
  const running = page.getByRole('group', { name: 'Inventory running' });
  await expect(running).toContainText(/A1: [\d,]+ files, .* hashed .*Now: A1\/d\d\d\/f\d{5}\.txt/, { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Cancel inventory' })).toHaveCount(0, { timeout: 120_000 });

  const table = page.getByRole('table', { name: 'Comparison' });
  await expect(page.getByText(`${(FILES + 40).toLocaleString('en')} of ${(FILES + 40).toLocaleString('en')} items`)).toBeVisible();
  // Only the window is in the DOM, not 12,040 rows.
  expect(await table.getByRole('rowheader').count()).toBeLessThan(200);
  // Scrolling to the end brings the last rows in.
  await page.locator('.scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(table.getByRole('rowheader', { name: 'd39/f11999.txt', exact: true })).toBeVisible();
  // The filter finds any row at once.
  await page.getByLabel('Filter').fill('f07777');
  await expect(table.getByRole('rowheader')).toHaveText(['d17/f07777.txt']);
  await page.getByLabel('Filter').fill('d05/ status:missing');
  await expect(page.getByText(`300 of ${(FILES + 40).toLocaleString('en')} items`)).toBeVisible();
});
