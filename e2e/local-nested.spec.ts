/**
 * A folder inside another source of the session (or holding one) is refused when added: between the two, a run copies
 * the folder into itself. Before, "Documents" as A1 and "Documents/Backup" as A2 were taken, and a Mirror A1 → A2
 * changed its own source: A1's Backup/old.txt went to versions (it is A2's old.txt), Backup/Backup appeared in A1, and
 * each run nested one level deeper.
 */
import { test, expect, openLocalSession, pick, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { newMember, startSession } from './support/cloud-members.ts';
import { addFolder } from './support/cloud-run.ts';

test('a folder inside a source, or holding one, is not added', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'data', { 'report.txt': { text: 'report\n' }, 'backup/old.txt': { text: 'old\n' } });
  await writeTree(page, 'other', {});
  const before = await readTree(page, 'data');
  await openLocalSession(page, ['data']);
  const member = page.getByRole('region', { name: 'Member A' });

  await pick(page, 'Add directory', 'data/backup');
  await expect(member.getByRole('alert')).toHaveText('backup was not added: it lies inside data (A1), or holds it. A synchronization between them would copy the folder into itself.');
  await expect(member.getByText('A2', { exact: true })).toHaveCount(0);

  // The other way round: a folder holding a source.
  await page.getByRole('button', { name: 'Remove A1' }).click();
  await pick(page, 'Add directory', 'data/backup');
  await expect(member.getByText('A1', { exact: true })).toBeVisible();
  await pick(page, 'Add directory', 'data');
  await expect(member.getByRole('alert')).toHaveText('data was not added: it lies inside backup (A1), or holds it. A synchronization between them would copy the folder into itself.');
  await expect(member.getByText('A2', { exact: true })).toHaveCount(0);

  // A folder beside it is taken, and the message goes.
  await pick(page, 'Add directory', 'other');
  await expect(member.getByText('A2', { exact: true })).toBeVisible();
  await expect(member.getByRole('alert')).toHaveCount(0);
  await inventory(page);
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');
  expect((await readTree(page, 'data')).files).toEqual(before.files);
});

test("a cloud member's folder inside one of its own folders is not added either", async ({ browser }) => {
  const { context, page } = await newMember(browser);
  try {
    await page.goto('/');
    await writeTree(page, 'data', { 'report.txt': { text: 'report\n' }, 'backup/old.txt': { text: 'old\n' } });
    await startSession(page);
    await addFolder(page, 'A', 'data');
    const own = page.getByRole('region', { name: 'Member A' });
    await page.evaluate(() => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push('data/backup'));
    await own.getByRole('button', { name: 'Add directory' }).click();
    await expect(own.getByRole('alert')).toHaveText('backup was not added: it lies inside data (A1), or holds it. A synchronization between them would copy the folder into itself.');
    await expect(own.getByText('A2', { exact: true })).toHaveCount(0);
  } finally {
    await context.close();
  }
});
