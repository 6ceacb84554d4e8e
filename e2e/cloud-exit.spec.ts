/**
 * Issue 5: "Exit asks for confirmation when a run is under way". Until the leader's inventory button arrives with
 * issue 6, the leader's run is started through the engine handle the page exposes; the message, its sealing, the
 * phase change on every member and the dialog are the real ones.
 */
import { test, expect } from '@playwright/test';
import { join, meshed, newMember, startSession, type Member } from './support/cloud-members.ts';

test('leaving during a run asks first; "Stay" keeps the member in, "Leave the session" takes it out', async ({ browser }) => {
  const members: Member[] = [];
  const a = (members[members.length] = await newMember(browser, { name: 'alpha' })).page;
  const { id, password } = await startSession(a);
  const b = (members[members.length] = await newMember(browser, { name: 'bravo' })).page;
  await join(b, id, password, 'B');
  for (const page of [a, b]) await meshed(page, 2);

  await a.evaluate(() => (window as unknown as { __quintetCloud: { session: { startInventory(run: string): Promise<void> } } }).__quintetCloud.session.startInventory('run-1'));
  await expect(b.getByRole('region', { name: 'Member A' })).toContainText('Inventory running');

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
