/** Issue 5: a Cloud Session across browser contexts — create, wrong then right password, letters, leave, restart, full, exit. */
import { test, expect } from '@playwright/test';
import { join, letters, meshed, newMember, startSession, submitJoin, type Member } from './support/cloud-members.ts';

test('three members: create, join ×2 (a wrong password first), letters, restart, B leaves and C becomes B, the password changes and the old one is refused, 6th refused, exit', async ({ browser }) => {
  const members: Member[] = [];
  const member = async (name: string) => {
    const m = await newMember(browser, { name });
    members.push(m);
    return m.page;
  };
  const a = await member('alpha');
  const { id, password } = await startSession(a);
  await expect(a.getByRole('region', { name: 'Member A' })).toContainText('This computer');
  await expect(a.getByRole('img', { name: 'QR code of the invite link' })).toBeVisible();
  await a.getByRole('button', { name: 'Copy invite link' }).click();
  const invite = await a.evaluate(() => navigator.clipboard.readText());
  expect(invite).toMatch(new RegExp(`#join=${id}&pw=`));
  expect(invite.split('#')[0]).not.toContain(password);

  // B: a wrong password first (clear message, the form stays), then the right one.
  const b = await member('bravo');
  await submitJoin(b, id, 'AAAA-BBBB-CCCC-DDDD');
  await expect(b.getByRole('alert')).toHaveText('The password is wrong (or the session ID). Check both and try again.');
  await join(b, id, password, 'B');

  // C: through the invite link, which fills the form in.
  const c = await member('charlie');
  await c.goto(invite.replace(/^https?:\/\/[^/]+/, ''));
  await expect(c.getByRole('textbox', { name: 'Session ID' })).toHaveValue(id);
  await expect(c.getByRole('textbox', { name: 'Session password' })).toHaveValue(password);
  await c.getByRole('button', { name: 'Join cloud session' }).click();
  await expect(c.getByRole('region', { name: 'Member C' })).toContainText('This computer', { timeout: 60_000 });

  for (const page of [a, b, c]) await meshed(page, 3);
  expect(await letters(a)).toEqual(['A*', 'B', 'C']);
  expect(await letters(b)).toEqual(['A', 'B*', 'C']);
  expect(await letters(c)).toEqual(['A', 'B', 'C*']);
  await expect(c.getByRole('region', { name: 'Member B' })).toContainText('bravo');
  // Everyone sees the same safety words.
  const words = await Promise.all([a, b, c].map((p) => p.getByLabel('Safety words', { exact: true }).last().textContent()));
  expect(new Set(words).size).toBe(1);

  // B adds a source: the others see "B1" and its name, read-only.
  await b.evaluate(() => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push('holiday-photos'));
  await b.getByRole('button', { name: 'Add directory' }).click();
  for (const page of [a, c]) {
    const block = page.getByRole('region', { name: 'Member B' });
    await expect(block).toContainText('B1');
    await expect(block).toContainText('holiday-photos');
    await expect(block.getByRole('button')).toHaveCount(0);
  }

  // Only A may restart; a restart keeps members and sources.
  await expect(b.getByRole('button', { name: 'Restart session' })).toHaveCount(0);
  await a.getByRole('button', { name: 'Restart session' }).click();
  await expect.poll(() => Promise.all([a, b, c].map((p) => p.evaluate(() => (window as unknown as { __quintetCloud: { session: { epoch: number } } }).__quintetCloud.session.epoch)))).toEqual([1, 1, 1]);
  for (const page of [a, b, c]) await meshed(page, 3);
  await expect(c.getByRole('region', { name: 'Member B' })).toContainText('holiday-photos');

  // B leaves: C becomes B everywhere.
  await b.getByRole('button', { name: 'Exit session' }).click();
  await expect(b.getByRole('status')).toHaveText('You left the session.');
  await expect(a.getByRole('region', { name: 'Member C' })).toHaveCount(0);
  expect(await letters(a)).toEqual(['A*', 'B']);
  await expect(c.getByRole('region', { name: 'Member B' })).toContainText('This computer');
  expect(await letters(c)).toEqual(['A', 'B*']);
  await expect(a.getByRole('region', { name: 'Member B' })).toContainText('charlie');

  // B's leaving changed the password (issue 9): A and C show the new one, B's remembered one no longer opens the door.
  await expect(a.getByText('A member left, so the session has a new password')).toBeVisible();
  const renewed = await a.getByRole('textbox', { name: 'Session password' }).inputValue();
  expect(renewed).not.toBe(password);
  await expect(c.getByRole('textbox', { name: 'Session password' })).toHaveValue(renewed);
  const returning = await member('bravo-again');
  await submitJoin(returning, id, password);
  await expect(returning.getByRole('alert')).toHaveText('The password is wrong (or the session ID). Check both and try again.');

  // Three more make five; a sixth is refused.
  for (const [name, letter] of [['delta', 'C'], ['echo', 'D'], ['foxtrot', 'E']] as const) await join(await member(name), id, renewed, letter);
  for (const page of [a, c]) await meshed(page, 5);
  const sixth = await member('golf');
  await submitJoin(sixth, id, renewed);
  await expect(sixth.getByRole('alert')).toHaveText(/^This session already has five members/);

  // Exit: everyone leaves.
  for (const page of [a, c, ...members.slice(4, 7).map((m) => m.page)]) {
    await page.getByRole('button', { name: 'Exit session' }).click();
    await expect(page.getByRole('status')).toHaveText('You left the session.');
  }
  for (const m of members) await m.context.close();
});
