/**
 * A cloud member's own folder holding files a closed or reloaded tab left staged in `.quintet/tmp/`: its block says so
 * as soon as the folder is added, and "Remove now" deletes only those (core/cloud/member.ts, core/versions/staging.ts).
 */
import { test, expect } from '@playwright/test';
import { newMember, startSession } from './support/cloud-members.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { addFolder } from './support/cloud-run.ts';

test('staged leftovers in a cloud member’s folder are shown in its block and removed by Remove now, its files untouched', async ({ browser }) => {
  const member = await newMember(browser, { name: 'alpha' });
  const a = member.page;
  await startSession(a);
  await writeTree(a, 'xa', {
    'doc.txt': { text: 'mine\n' },
    'tmp/notes.txt': { text: 'mine too\n' },
    '.quintet/versions/20261130-120000/old.txt': { text: 'kept\n' },
    '.quintet/tmp/m3x1a-0-k2.txt': { size: 1000, seed: 3 },
  });
  const before = await readTree(a, 'xa');
  await addFolder(a, 'A', 'xa');
  const line = a.getByRole('region', { name: 'Member A' }).locator('.leftovers');
  await expect(line).toContainText('A1: an interrupted synchronization (a tab closed or reloaded) left 1 half-written file (1 kB) in .quintet/tmp/');
  await line.getByRole('button', { name: 'Remove now' }).click();
  await expect(line).toHaveCount(0);
  const after = await readTree(a, 'xa');
  expect(after.files).toEqual(Object.fromEntries(Object.entries(before.files).filter(([path]) => !path.startsWith('.quintet/tmp/'))));
  await member.context.close();
});
