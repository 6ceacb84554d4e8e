/** Issue 5: "Exit asks for confirmation when a run is under way" — here during a real transfer (issue 6) into B's folder. */
import { test, expect } from '@playwright/test';
import { join, meshed, newMember, startSession, type Member } from './support/cloud-members.ts';
import { writeTree } from './support/opfs-tree.ts';
import { addFolder, inventory } from './support/cloud-run.ts';

test('leaving during a run asks first; "Stay" keeps the member in, "Leave the session" takes it out', async ({ browser }) => {
  const members: Member[] = [];
  const a = (members[members.length] = await newMember(browser, { name: 'alpha' })).page;
  const { id, password } = await startSession(a);
  const b = (members[members.length] = await newMember(browser, { name: 'bravo' })).page;
  await join(b, id, password, 'B');
  for (const page of [a, b]) await meshed(page, 2);
  await writeTree(a, 'xa', { 'big.bin': { size: 120 * 1024 * 1024, seed: 3 } });
  await writeTree(b, 'xb', {});
  await addFolder(a, 'A', 'xa');
  await addFolder(b, 'B', 'xb');
  await expect(a.getByRole('region', { name: 'Member B' })).toContainText('B1');
  await inventory(a, [a, b]);
  await a.getByRole('button', { name: 'Apply preset' }).click();
  await a.getByRole('button', { name: 'Start synchronization' }).click();
  await a.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
  await expect(b.getByRole('region', { name: 'Member B' })).toContainText('Status: Syncing');

  await b.getByRole('button', { name: 'Exit session' }).click();
  const dialog = b.getByRole('dialog');
  await expect(dialog).toContainText('A run is under way');
  await dialog.getByRole('button', { name: 'Stay' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(a.getByRole('region', { name: 'Member B' })).toContainText('bravo');

  await b.getByRole('button', { name: 'Exit session' }).click();
  await b.getByRole('dialog').getByRole('button', { name: 'Leave the session' }).click();
  await expect(a.getByRole('region', { name: 'Member B' })).toHaveCount(0, { timeout: 30_000 });

  for (const m of members) await m.context.close();
});
