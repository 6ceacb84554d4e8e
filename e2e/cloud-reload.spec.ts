/**
 * Issue 14, remembered: a cloud member's reload keeps its place. C reloads and is C again with its folder; A (the
 * leader) reloads and the session goes on with A leading; a member whose tab closes leaves once the server's grace
 * (QUINTET_RESUME_GRACE_MS, 15 s in playwright.config.ts) has passed. `page.reload()` keeps sessionStorage, as Chrome does.
 */
import { test, expect, type Page } from '@playwright/test';
import { join, letters, meshed, newMember, startSession, threeMembers, type Member } from './support/cloud-members.ts';

interface Handle {
  __quintetCloud: { session: { epoch: number; password: string; on(event: 'members.changed', fn: (members: Array<{ letter: string; away?: boolean }>) => void): void } };
  __awaySeen?: string[];
}

/** Records, on this page, every letter its session shows as reconnecting from now on (the moment is short: not polled). */
async function watchAway(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as Handle;
    w.__awaySeen = [];
    w.__quintetCloud.session.on('members.changed', (members) => {
      for (const m of members) if (m.away) w.__awaySeen!.push(m.letter);
    });
  });
}
const awaySeen = (page: Page) => page.evaluate(() => (window as unknown as Handle).__awaySeen ?? []);
const password = (page: Page) => page.getByRole('textbox', { name: 'Session password' }).inputValue();
const epoch = (page: Page) => page.evaluate(() => (window as unknown as Handle).__quintetCloud.session.epoch);

test('a member\'s reload keeps its letter and folder; the leader\'s reload keeps the session; a closed tab leaves after the grace', async ({ browser }) => {
  const members: Member[] = [];
  const member = async (name: string) => {
    const m = await newMember(browser, { name });
    members.push(m);
    return m.page;
  };
  const a = await member('alpha');
  const { id, password: first } = await startSession(a);
  const b = await member('bravo');
  await join(b, id, first, 'B');
  const c = await member('charlie');
  await join(c, id, first, 'C');
  for (const page of [a, b, c]) await meshed(page, 3);
  await c.evaluate(() => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push('c-photos'));
  await c.getByRole('button', { name: 'Add directory' }).click();
  await expect(a.getByRole('region', { name: 'Member C' })).toContainText('c-photos');

  // C reloads: A and B show it reconnecting, then it is C again, with its folder, and knows the password.
  for (const page of [a, b]) await watchAway(page);
  await c.reload();
  await expect(c.getByRole('region', { name: 'Member C' })).toContainText('This computer', { timeout: 60_000 });
  for (const page of [a, b, c]) await meshed(page, 3);
  expect(await letters(c)).toEqual(['A', 'B', 'C*']);
  expect(await letters(a)).toEqual(['A*', 'B', 'C']);
  await expect(c.getByRole('region', { name: 'Member C' })).toContainText('c-photos');
  await expect(a.getByRole('region', { name: 'Member C' })).toContainText('c-photos');
  await expect(c.getByRole('region', { name: 'Member B' })).toContainText('bravo');
  expect(await awaySeen(a)).toContain('C');
  expect(await awaySeen(b)).toContain('C');
  await expect.poll(() => password(c)).toBe(first);
  expect(await password(a)).toBe(first); // a reload is no departure: the password stays

  // A (the leader) reloads: the session does not end; A comes back as A and leads (a restart reaches everyone).
  for (const page of [b, c]) await watchAway(page);
  await a.reload();
  await expect(a.getByRole('region', { name: 'Member A' })).toContainText('This computer', { timeout: 60_000 });
  for (const page of [a, b, c]) await meshed(page, 3);
  expect(await letters(a)).toEqual(['A*', 'B', 'C']);
  expect(await letters(b)).toEqual(['A', 'B*', 'C']);
  expect(await awaySeen(b)).toContain('A');
  await expect(b.getByRole('button', { name: 'Restart session' })).toHaveCount(0);
  // A kept no password: it made a new one, which everyone now shows.
  const renewed = await password(a);
  expect(renewed).not.toBe(first);
  for (const page of [b, c]) await expect.poll(() => password(page)).toBe(renewed);
  await expect(b.getByText('The leader came back from a reload with a new session password')).toBeVisible();
  await a.getByRole('button', { name: 'Restart session' }).click();
  await expect.poll(() => Promise.all([a, b, c].map((p) => p.evaluate(() => (window as unknown as Handle).__quintetCloud.session.epoch)))).toEqual([1, 1, 1]);
  for (const page of [a, b, c]) await meshed(page, 3);

  // B's tab closes (no Exit): it shows as reconnecting, then, past the grace, it has left: C becomes B.
  await watchAway(a);
  await b.close();
  await expect.poll(() => awaySeen(a)).toContain('B');
  await expect(a.getByRole('region', { name: /^Member [A-E]$/ })).toHaveCount(2, { timeout: 60_000 });
  expect(await letters(a)).toEqual(['A*', 'B']);
  await expect(c.getByRole('region', { name: 'Member B' })).toContainText('This computer');
  await expect(a.getByRole('region', { name: 'Member B' })).toContainText('c-photos');

  for (const page of [a, c]) {
    await page.getByRole('button', { name: 'Exit session' }).click();
    await expect(page.getByRole('status')).toHaveText('You left the session.');
  }
  // Exit forgets the place: a reload now lands on the home page, not back in the session.
  await a.reload();
  await expect(a.getByRole('button', { name: 'Cloud synchronization' })).toBeVisible();
  for (const m of members) await m.context.close();
});

test('B reloads, meanwhile C leaves and the key rotates: B proves itself to the leader, gets the new key, and its channels open', async ({ browser }) => {
  const { members, a, b, c } = await threeMembers(browser);
  // B's way back is held (its resume frame waits) until C has left and A rotated the key: B is away all that time.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await b.routeWebSocket(/\/signal\?.*resume=/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => void gate.then(() => server.send(message)));
  });
  await watchAway(a);
  await b.reload();
  await expect.poll(() => awaySeen(a)).toContain('B');
  await c.getByRole('button', { name: 'Exit session' }).click();
  await expect(c.getByRole('status')).toHaveText('You left the session.');
  await expect.poll(() => epoch(a)).toBe(1);
  release();

  await expect(b.getByRole('region', { name: 'Member B' })).toContainText('This computer', { timeout: 60_000 });
  for (const page of [a, b]) await meshed(page, 2);
  expect(await epoch(b)).toBe(1);
  expect(await letters(b)).toEqual(['A', 'B*']);
  expect(await letters(a)).toEqual(['A*', 'B']);
  await expect(b.getByRole('region', { name: 'Member A' })).toContainText('alpha');
  // The password changed when C left; B learns the new one from A over the channel that now opens.
  const renewed = await password(a);
  await expect.poll(() => password(b)).toBe(renewed);
  for (const m of members) await m.context.close();
});
