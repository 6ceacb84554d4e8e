/** Issue 14: the comparison grid reads like FreeFileSync (sides, dates, directions), stays fresh after a run; the confirmation names folders and deletions; progress stays in sight. */
import AxeBuilder from '@axe-core/playwright';
import { test, expect, openLocalSession } from './support/fixtures.ts';
import { writeTree, type TreeSpec } from './support/opfs-tree.ts';

/** Enough files that the run lasts while the test looks, and a grid far longer than the window. */
const BULK = 400;

test('the grid says which side, shows dates and directions, is fresh after a run; confirmation and progress are readable', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  const src: TreeSpec = { 'only-src.txt': { text: 'only in the source\n' }, 'both.txt': { text: 'new version\n' } };
  for (let i = 0; i < BULK; i++) src[`bulk/f${String(i).padStart(3, '0')}.bin`] = { size: 256 * 1024, seed: i + 1 };
  await writeTree(page, 'grid-src', src);
  await writeTree(page, 'grid-dst', { 'both.txt': { text: 'old version\n' }, 'old.txt': { text: 'only in the target\n' } });
  await openLocalSession(page, ['grid-src', 'grid-dst']);
  // The inventory's progress (files, bytes, rate per source) is in sight while it hashes the 100 MB.
  await page.getByRole('button', { name: 'Start inventory' }).click();
  const counting = page.getByRole('group', { name: 'Inventory running…' });
  await expect(counting).toBeInViewport();
  await expect(counting).toContainText(/A1: (done, )?[\d,]+ files?, .*B/);
  await expect(counting).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByRole('table', { name: 'Comparison' })).toBeVisible();

  const table = page.getByRole('table', { name: 'Comparison' });
  const row = (path: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: path, exact: true }) });
  // The folder tree beside the grid: each folder with how many of its items differ; choosing one narrows the grid.
  const folders = page.getByRole('navigation', { name: 'Folders' });
  await expect(folders.getByRole('button', { name: `bulk, ${BULK} of ${BULK} items differ` })).toBeVisible();
  await expect(folders.getByRole('button', { name: /^All folders, \d+ of \d+ items differ$/ })).toHaveAttribute('aria-current', 'true');
  await folders.getByRole('button', { name: /^bulk,/ }).click();
  await expect(page.getByText(`${BULK + 1} of ${BULK + 4} items`)).toBeVisible(); // bulk and what it holds
  await expect(row('only-src.txt')).toHaveCount(0);
  await folders.getByRole('button', { name: /^All folders,/ }).click();
  await expect(page.getByText(`${BULK + 4} of ${BULK + 4} items`)).toBeVisible();

  // Past 200 rows only the rows in view are in the DOM: the filter brings the few rows checked here into it.
  const filter = page.getByLabel('Filter');
  await filter.fill('.txt');
  // Which side: never "Missing on some sources" for both directions.
  await expect(row('only-src.txt')).toContainText('Only on A1');
  await expect(row('old.txt')).toContainText('Only on A2');
  await expect(table).not.toContainText('Missing on some sources');
  // A date per present cell (Intl short date, e.g. "11/29/26, 4:21 PM"; the medium one, "Nov 29, 2026, 4:21 PM", in its
  // title), and content letters, not colour alone.
  await expect(row('both.txt').locator('time')).toHaveCount(2);
  await expect(row('both.txt')).toContainText(/\d{1,2}\/\d{1,2}\/\d{2}, \d{1,2}:\d{2}/);
  await expect(row('both.txt').locator('time').first()).toHaveAttribute('title', /[A-Z][a-z]{2} \d{1,2}, \d{4}/);
  await expect(row('both.txt').getByRole('img', { name: 'Content a', exact: true })).toHaveText('a');
  await expect(row('both.txt').getByRole('img', { name: 'Content b', exact: true })).toHaveText('b');

  // Directions in the action column.
  const actions = page.getByRole('region', { name: 'Synchronization actions' });
  await actions.getByLabel('Preset').selectOption('mirror');
  await actions.getByLabel('From').selectOption('A1');
  await actions.getByLabel('To').selectOption('A2');
  await page.getByRole('button', { name: 'Apply preset' }).click();
  await expect(row('only-src.txt')).toContainText('A1 → A2');
  await expect(row('old.txt')).toContainText('delete on A2');

  await filter.fill('');
  // The confirmation names the folder that changes and what it deletes.
  await page.getByRole('button', { name: 'Start synchronization' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('A2 (grid-dst)');
  await expect(dialog).toContainText(`${BULK + 2} files to copy`);
  await expect(dialog.getByRole('listitem').filter({ hasText: /^old\.txt$/ })).toBeVisible();
  await dialog.getByRole('button', { name: 'Synchronize' }).click();

  // While the run is under way its progress is in the window, though the grid above is longer than the window.
  const progress = page.getByRole('group', { name: 'Synchronization progress' });
  await expect(progress).toBeAttached();
  // From the top of the page (members, settings, the grid above it), the bar is still in sight.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(page.getByRole('heading', { name: 'Local synchronization' })).toBeInViewport();
  await expect(progress).toBeInViewport();
  await expect(progress).toContainText(/of \d+ actions · .* of .*B/);
  await expect(progress).toContainText(/left|estimating/);
  await expect(progress.getByRole('progressbar', { name: 'Actions done' })).toBeVisible();
  await expect(progress.getByRole('progressbar', { name: 'Bytes written' })).toBeVisible();
  // The bar itself passes axe (the whole page's screens are app-a11y's; this one only exists during a run).
  const { violations } = await new AxeBuilder({ page }).include('[aria-label="Synchronization progress"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  const status = page.getByRole('status');
  await expect(status.getByRole('heading', { level: 2 })).toHaveText('Synchronization complete', { timeout: 240_000 });
  // Fresh: what the run left, not what it was asked to do.
  await expect(table).not.toContainText('A1 → A2');
  await filter.fill('.txt');
  await expect(table).not.toContainText('A1 → A2');
  await expect(row('only-src.txt')).toContainText('Identical');
  await expect(row('both.txt')).toContainText('Identical');
  await expect(row('old.txt')).toHaveCount(0);
  await expect(progress).toHaveCount(0);
});
