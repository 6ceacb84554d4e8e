/** Issue 9, findings 11 and 13 in the page: what a page cannot see is said by Add directory; a refused write permission skips, says so, and a second try can grant it. */
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';

type PickerWindow = { __quintetDeny(n?: string): void; __quintetAllow(n?: string): void; __quintetAsked: string[] };

test('the note "Not visible to the browser" sits by Add directory, in English and French, and says the way out honestly', async ({ page }) => {
  await openLocalSession(page, []);
  const note = page.getByRole('note', { name: 'Not visible to the browser' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('links');
  await expect(note).toContainText('seen as empty files');
  await expect(note).toContainText('neither synchronized nor counted');
  await expect(note).toContainText('npx quintet join');
  await page.evaluate(() => localStorage.setItem('quintet.lang', 'fr'));
  // A reload of the local page opens it again (issue 14: the local session is remembered).
  await page.reload();
  await expect(page.getByRole('note', { name: 'Invisible pour le navigateur' })).toContainText('ni synchronisés ni comptés');
});

test('folders are read with read access; a refused write skips every target item with its reason, nothing is written, and granting on the next run completes', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'x.txt': { text: 'x\n' }, 'y/z.txt': { text: 'z\n' } });
  await writeTree(page, 'dst', { 'old.txt': { text: 'old\n' } });
  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  const before = await readTree(page, 'dst');
  await page.evaluate(() => (window as unknown as PickerWindow).__quintetDeny('dst'));

  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization finished with 4 skipped');
  await expect(page.getByRole('alert').filter({ hasText: 'Chrome did not give Quintet permission to write to A2' })).toContainText('choose “Allow”');
  const table = page.getByRole('table', { name: 'Comparison' });
  await expect(table.getByRole('row', { name: /x\.txt/ })).toContainText('Skipped: no permission to write on A2');
  await expect(page.getByRole('status')).toContainText('old.txt: no permission to write on A2');
  expect(await readTree(page, 'dst')).toEqual(before);

  // The user allows it this time: the run completes, and only the target was ever asked for write.
  await page.evaluate(() => (window as unknown as PickerWindow).__quintetAllow('dst'));
  await inventory(page);
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');
  const after = await readTree(page, 'dst', { skip: '.quintet' });
  expect(after).toEqual(await readTree(page, 'src'));
  expect(await page.evaluate(() => (window as unknown as PickerWindow).__quintetAsked)).toEqual(['dst', 'dst']);
});
