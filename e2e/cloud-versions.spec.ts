/** Issue 15 in a cloud session: a member opens Versions over its own folders only and restores a file and a folder that a Mirror replaced and deleted there. */
import { createHash } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from '@playwright/test';
import { join, meshed, newMember, startSession } from './support/cloud-members.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { addFolder, inventory, synchronize } from './support/cloud-run.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The Versions table's rows whose row header (the path) is `path`, alone or followed by "(folder)"; newest run first. */
const rowsOf = (page: Page, path: string) =>
  page.getByRole('table', { name: 'Versions' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${path.replace('.', '\\.')}( |$)`) }) });

/** Opens this member's Versions view and waits until the catalogue of the source shown is read. */
async function openVersions(page: Page) {
  await page.getByRole('button', { name: 'Versions', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Versions', level: 2 })).toBeVisible();
  await expect(page.getByText('Reading the versions…')).toHaveCount(0, { timeout: 30_000 });
  return page.getByRole('table', { name: 'Versions' });
}

/** Fails on any serious or critical axe violation (WCAG 2.1 A and AA) of the page as it is. */
async function axeClean(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
}

const options = (page: Page) => page.getByLabel('Source', { exact: true }).locator('option').allTextContents();

test('B restores, from its own Versions, a file and a folder that two Mirrors from A replaced and deleted; each page lists only its own folders', async ({ browser }) => {
  const members = [await newMember(browser, { name: 'alpha' }), await newMember(browser, { name: 'bravo' })];
  const [a, b] = members.map((m) => m.page) as [Page, Page];
  const { id, password } = await startSession(a);
  await join(b, id, password, 'B');
  for (const p of [a, b]) await meshed(p, 2);

  await writeTree(a, 'a1', { 'r.txt': { text: 'r from A, first\n' }, 'n.txt': { text: 'new from A\n' } });
  await writeTree(b, 'b1', { 'r.txt': { text: 'r as B had it\n' }, 'd.txt': { text: 'only on B\n' }, 'dir/a.txt': { text: 'in dir\n' }, 'dir/sub/b.txt': { text: 'deeper\n' } });
  await writeTree(b, 'b2', { 'kept.txt': { text: 'B2 is not a target\n' } });
  await addFolder(a, 'A', 'a1');
  await addFolder(b, 'B', 'b1');
  await addFolder(b, 'B', 'b2', 2);
  await expect(a.getByRole('region', { name: 'Member B' })).toContainText('B2');

  // Run 1 replaces r.txt and deletes d.txt and dir/ on B1; run 2 replaces r.txt again.
  await inventory(a, [a, b]);
  expect(await synchronize(a, [a, b], 'mirror', 'A1', 'B1')).toEqual(Array(2).fill('Synchronization complete'));
  await writeTree(a, 'a1', { 'r.txt': { text: 'r from A, second and longer\n' } });
  await inventory(a, [a, b]);
  // Each page's folders were watched since the first inventory (FileSystemObserver): only what changed was looked at.
  await expect(a.getByText('A1: watched since the last inventory, only what changed was looked at again.')).toBeVisible();
  await expect(b.getByText('B1, B2: watched since the last inventory, only what changed was looked at again.')).toBeVisible();
  expect(await synchronize(a, [a, b], 'mirror', 'A1', 'B1')).toEqual(Array(2).fill('Synchronization complete'));
  expect((await readTree(b, 'b1', { skip: '.quintet' })).files).toEqual({ 'r.txt': sha('r from A, second and longer\n'), 'n.txt': sha('new from A\n') });

  // A's page: its own folder only, which no run replaced anything in.
  await openVersions(a);
  expect(await options(a)).toEqual(['A1']);
  await expect(a.getByText('No kept version in this source yet.')).toBeVisible();
  await expect(a.getByRole('button', { name: 'Undo last run' })).toHaveCount(1); // the leader's order, not the view's

  // B's page: B1 and B2, never A's; runs newest first, what each replaced or deleted, from which member's folder.
  const table = await openVersions(b);
  expect(await options(b)).toEqual(['B1', 'B2']);
  await expect(b.getByRole('button', { name: 'Undo last run' })).toHaveCount(0);
  await expect(table.getByRole('row')).toHaveCount(5); // header, r.txt ×2, d.txt, dir
  await expect(b.getByText('4 kept versions in 2 runs')).toBeVisible();
  await expect(rowsOf(b, 'r.txt')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('r.txt'); // the newest run's only version comes first
  await expect(rowsOf(b, 'r.txt').first()).toContainText('replaced');
  await expect(rowsOf(b, 'r.txt').first()).toContainText('A1');
  await expect(rowsOf(b, 'dir')).toContainText('deleted');
  await expect(rowsOf(b, 'dir')).toContainText('(folder)');
  await expect(rowsOf(b, 'd.txt')).toContainText('deleted');

  // The older version of r.txt (run 1's: what B had), by keyboard; what stood there is kept first.
  await rowsOf(b, 'r.txt').nth(1).getByRole('button', { name: 'Restore' }).focus();
  await b.keyboard.press('Enter');
  const status = b.getByRole('region', { name: 'Versions' }).getByRole('status');
  await expect(status).toContainText('r.txt restored to its version of');
  await expect(status).toContainText('Your folders changed: member A should start the inventory again before synchronizing.');
  let tree = await readTree(b, 'b1', { skip: '.quintet' });
  expect(tree.files['r.txt']).toBe(sha('r as B had it\n'));
  expect(Object.values((await readTree(b, 'b1/.quintet/versions')).files)).toContain(sha('r from A, second and longer\n'));
  await expect(rowsOf(b, 'r.txt')).toHaveCount(3); // the restore is a run of its own, listed first

  // The folder, whole, found by searching its path.
  await b.getByLabel('Search by path').fill('DIR');
  await expect(table.getByRole('row')).toHaveCount(2);
  await rowsOf(b, 'dir').getByRole('button', { name: 'Restore' }).click();
  await expect(status).toContainText('dir restored to its version of');
  await axeClean(b);
  tree = await readTree(b, 'b1', { skip: '.quintet' });
  expect(tree.files).toEqual({ 'r.txt': sha('r as B had it\n'), 'n.txt': sha('new from A\n'), 'dir/a.txt': sha('in dir\n'), 'dir/sub/b.txt': sha('deeper\n') });
  expect(tree.dirs).toEqual(['dir', 'dir/sub']);

  // Nothing of A's or of B2 changed; B2 lists no version.
  expect((await readTree(a, 'a1', { skip: '.quintet' })).files).toEqual({ 'r.txt': sha('r from A, second and longer\n'), 'n.txt': sha('new from A\n') });
  expect((await readTree(b, 'b2')).files).toEqual({ 'kept.txt': sha('B2 is not a target\n') });
  await b.getByRole('button', { name: 'Back to the session' }).click();
  await expect(b.getByRole('button', { name: 'Versions', exact: true })).toBeFocused();
  await openVersions(b);
  await b.getByLabel('Source', { exact: true }).selectOption('B2');
  await expect(b.getByText('No kept version in this source yet.')).toBeVisible();
  for (const m of members) await m.context.close();
});
