/** Issue 13, member roles: A makes B send only and C receive only; Two-way never writes B, keeps C's edit local and listed, and C reverts it. */
import { createHash } from 'node:crypto';
import { test, expect, type Page } from '@playwright/test';
import { threeMembers } from './support/cloud-members.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { addFolder, inventory, synchronize } from './support/cloud-run.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const roleOf = (page: Page, letter: string) => page.getByRole('region', { name: `Member ${letter}` }).getByLabel('Role', { exact: true });

test('roles: B (send only) is never written, C’s (receive only) edit stays local and listed, and Revert brings the others’ content back', async ({ browser }) => {
  test.setTimeout(300_000);
  const { members, a, b, c } = await threeMembers(browser);
  for (const [p, root] of [[a, 'a1'], [b, 'b1'], [c, 'c1']] as const) await writeTree(p, root, { 'shared.txt': { text: 'v1 everywhere' } });
  await writeTree(a, 'a1', { 'from-a.txt': { text: 'A had this first' } });
  await addFolder(a, 'A', 'a1');
  await addFolder(b, 'B', 'b1');
  await addFolder(c, 'C', 'c1');
  for (const p of [a, b, c]) await expect(p.getByRole('region', { name: 'Member C' })).toContainText('C1');

  // Only A sets roles; every page shows them, read-only for B and C.
  await expect(roleOf(a, 'B')).toHaveValue('send-receive');
  await roleOf(a, 'B').selectOption({ label: 'Send only' });
  await roleOf(a, 'C').selectOption({ label: 'Receive only' });
  for (const p of [b, c]) {
    await expect(roleOf(p, 'B')).toHaveValue('send-only');
    await expect(roleOf(p, 'C')).toHaveValue('receive-only');
    for (const letter of ['A', 'B', 'C']) await expect(roleOf(p, letter)).toBeDisabled();
  }
  await expect(roleOf(a, 'A')).toBeEnabled();

  // First Two-way (no base): A's file reaches C, never B; A's page counts B's refusal as skipped.
  await inventory(a, [a, b, c]);
  const first = await synchronize(a, [a, b, c], 'two-way');
  expect(first[0]).toBe('Synchronization finished with 1 skipped');
  let tb = await readTree(b, 'b1', { skip: '.quintet' });
  expect(Object.keys(tb.files)).toEqual(['shared.txt']);
  expect((await readTree(c, 'c1', { skip: '.quintet' })).files['from-a.txt']).toBe(sha('A had this first'));

  // A creates a file, C edits the shared one: A's reaches C only; C's stays on C, listed there as a local change.
  await writeTree(a, 'a1', { 'new.txt': { text: 'new on A' } });
  await writeTree(c, 'c1', { 'shared.txt': { text: 'C edited this locally' } });
  await inventory(a, [a, b, c]);
  const second = await synchronize(a, [a, b, c], 'two-way');
  expect(second[0]).toBe('Synchronization finished with 3 skipped'); // new.txt and from-a.txt on B, C's local change
  tb = await readTree(b, 'b1', { skip: '.quintet' });
  const [ta, tc] = [await readTree(a, 'a1', { skip: '.quintet' }), await readTree(c, 'c1', { skip: '.quintet' })];
  expect(tb.files).toEqual({ 'shared.txt': sha('v1 everywhere') });
  expect(ta.files['shared.txt']).toBe(sha('v1 everywhere'));
  expect(ta.files['new.txt']).toBe(sha('new on A'));
  expect(tc.files['new.txt']).toBe(sha('new on A'));
  expect(tc.files['shared.txt']).toBe(sha('C edited this locally'));

  const local = c.getByRole('region', { name: 'Local changes' });
  await expect(local.getByRole('listitem')).toHaveText(['shared.txt (C1): edited here Revert']);
  for (const p of [a, b]) await expect(p.getByRole('region', { name: 'Local changes' })).toHaveCount(0);
  await local.getByRole('button', { name: 'Revert shared.txt' }).click();
  await expect(local.getByRole('status')).toHaveText('1 item reverted, 0 failed');
  await expect(local.getByRole('listitem')).toHaveCount(0);
  expect((await readTree(c, 'c1', { skip: '.quintet' })).files['shared.txt']).toBe(sha('v1 everywhere'));
  const versions = await readTree(c, 'c1/.quintet/versions');
  expect(Object.values(versions.files)).toContain(sha('C edited this locally'));
  // B was never written: nothing under its versions either.
  expect(await readTree(b, 'b1/.quintet/versions').then((t) => Object.keys(t.files), () => [])).toEqual([]);
  for (const m of members) await m.context.close();
});
