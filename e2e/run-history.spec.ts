/** Issue 12 in the PWA: a Local Mirror is recorded; History lists it with its detail; the JSON export equals the stored record; saved profiles run again. */
import { readFileSync } from 'node:fs';
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, removePath, writeTree } from './support/opfs-tree.ts';
import { storedRuns } from './support/run-records.ts';

test('a Mirror is recorded: History lists it, its detail lists every error, exports equal the record, the live log clears alone; a saved profile runs again', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'hist-src', { 'docs/a.txt': { text: 'a\n' }, 'b.bin': { size: 300_000, seed: 7 }, 'vanishes.txt': { text: 'gone soon\n' } });
  await writeTree(page, 'hist-dst', { 'old.txt': { text: 'old\n' } });
  await openLocalSession(page, ['hist-src', 'hist-dst']);
  await inventory(page);
  await removePath(page, 'hist-src/vanishes.txt');
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization finished with 1 error');

  // The engine's record, as stored.
  const stored = (await storedRuns(page)) as Array<{ id: string; status: string; counts: Record<string, unknown>; errors: unknown[]; bytes: number }>;
  expect(stored).toHaveLength(1);
  const record = stored[0]!;
  expect(record).toMatchObject({
    profile: 'Local session', kind: 'local', status: 'partial', bytes: 300_002,
    counts: { planned: 5, done: 4, failed: 1, skipped: 0, byAction: { mkdir: 1, copy: 3, delete: 1 } },
    errors: [{ source: 'A2', path: 'vanishes.txt', reason: expect.stringMatching(/^not-found: /) }],
  });

  // History from the session page: one row, newest first, with its counts.
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Run history' })).toBeVisible();
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Local session');
  await expect(rows.nth(1)).toContainText('Partial');
  await expect(rows.nth(1)).toContainText('4 of 5 done, 1 failed, 0 skipped');
  await expect(rows.nth(1)).toContainText('300 kB');

  // The live log has the run's lines; clearing it leaves the report alone.
  const log = page.getByRole('log');
  await expect(log).toContainText('Local session: synchronization started, 5 actions');
  await expect(log).toContainText('A2/vanishes.txt: not-found');
  await page.getByRole('button', { name: 'Clear log' }).click();
  await expect(page.getByRole('log')).toHaveCount(0);
  await expect(page.getByText('Nothing logged yet')).toBeVisible();
  expect(await storedRuns(page)).toEqual(stored);
  await expect(rows).toHaveCount(2);

  // Export JSON of the whole history: the downloaded file is the stored records, field for field.
  const [allJson] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(allJson.suggestedFilename()).toBe('quintet-runs.json');
  expect(JSON.parse(readFileSync((await allJson.path())!, 'utf8'))).toEqual(stored);

  // The detail: times, counts per kind, every error in words.
  await rows.nth(1).getByRole('button', { name: /^Details of the run of / }).click();
  const detail = page.getByRole('article');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(/^Run of /);
  await expect(detail.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(detail).toContainText('Partial — Local session (Local session)');
  await expect(detail).toContainText('Planned: 3 copies, 1 folder to create, 1 deletion');
  await expect(detail).toContainText('1 item not synchronized');
  await expect(detail.getByRole('list', { name: '1 item not synchronized' }).getByRole('listitem')).toHaveText(['A2/vanishes.txt: vanished']);
  await expect(detail).toContainText(`Run ID: ${record.id}`);

  // This run's exports: JSON (an array of one, equal to the record) and CSV (header and its row).
  const [oneJson] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(oneJson.suggestedFilename()).toBe(`quintet-run-${record.id}.json`);
  expect(JSON.parse(readFileSync((await oneJson.path())!, 'utf8'))).toEqual([record]);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csvLines = readFileSync((await csv.path())!, 'utf8').split('\r\n');
  expect(csvLines[0]).toBe('id,profile,kind,start,end,duration_ms,status,planned,done,failed,skipped,copy,mkdir,delete,bytes,present,missing,errors,first_error,message');
  expect(csvLines[1]).toMatch(new RegExp(`^${record.id},Local session,local,.*,partial,5,4,1,0,3,1,1,300002,,,1,A2/vanishes.txt: not-found: `));

  // Print: window.print on a clean layout (no header, no buttons, no live log).
  await page.evaluate(() => {
    (window as unknown as { __printed: number }).__printed = 0;
    window.print = () => void (window as unknown as { __printed: number }).__printed++;
  });
  await page.getByRole('button', { name: 'Print' }).click();
  expect(await page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Live log' })).toBeHidden();
  await expect(detail.getByRole('heading', { level: 2 })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // Back to the list, back to the session (still there), which is saved as a profile.
  await page.getByRole('button', { name: 'Back to the list' }).click();
  await page.getByRole('button', { name: '← Back', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Member A' })).toContainText('hist-dst');
  await page.getByRole('button', { name: 'Save as profile' }).click();
  await page.getByRole('textbox', { name: 'Profile name' }).fill('Nightly');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Profile “Nightly” saved.')).toBeVisible();

  // Home says when the last synchronization was; the saved profile runs again from its page.
  await page.getByRole('button', { name: '← Back', exact: true }).click();
  await expect(page.getByText(/^Last synchronization: .+ \(Partial\)$/)).toBeVisible();
  await page.getByRole('button', { name: 'Saved profiles' }).click();
  await expect(page.getByText(/For unattended nights use the quintet command/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Nightly' })).toBeVisible();
  await expect(page.getByText('Mirror A1 → A2 — Folders: hist-src, hist-dst')).toBeVisible();
  await page.getByRole('button', { name: 'Run “Nightly” now' }).click();
  await expect(page.getByText('“Nightly” finished: Complete.')).toBeVisible({ timeout: 120_000 });

  const after = (await storedRuns(page)) as Array<{ id: string; profile: string; status: string }>;
  expect(after).toHaveLength(2);
  const nightly = after.find((r) => r.profile === 'Nightly')!;
  expect(nightly.status).toBe('ok');
  await page.getByRole('button', { name: '← Back', exact: true }).click();
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('Nightly');
  await expect(rows.nth(2)).toContainText('Local session');
});

test.describe('schedule while the app is open', () => {
  test.use({ timezoneId: 'UTC' });

  test('a saved profile with a daily time runs by itself when the page’s clock passes it, and is recorded', async ({ page }) => {
    // The page's clock starts just before 02:00 UTC and runs on; fastForward then jumps past 02:00 (timers fire once).
    await page.clock.install({ time: new Date('2026-03-10T01:58:00Z') });
    await page.goto('/');
    await writeTree(page, 'sched-src', { 'n.txt': { text: 'nightly\n' } });
    await writeTree(page, 'sched-dst', {});
    await openLocalSession(page, ['sched-src', 'sched-dst']);
    await inventory(page);
    const actions = page.getByRole('region', { name: 'Synchronization actions' });
    await actions.getByLabel('Preset').selectOption('mirror');
    await page.getByRole('button', { name: 'Apply preset' }).click();
    await page.getByRole('button', { name: 'Save as profile' }).click();
    await page.getByRole('textbox', { name: 'Profile name' }).fill('At two');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Profile “At two” saved.')).toBeVisible();

    await page.getByRole('button', { name: '← Back', exact: true }).click();
    await page.getByRole('button', { name: 'Saved profiles' }).click();
    await page.getByLabel('Time of the daily run of “At two”').fill('02:00');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.getByText('Runs every day at 02:00 while Quintet is open.')).toBeVisible();
    expect(await storedRuns(page)).toEqual([]);

    await page.clock.fastForward('03:00');
    await expect(page.getByText('“At two” finished: Complete.')).toBeVisible({ timeout: 120_000 });
    const runs = (await storedRuns(page)) as Array<{ profile: string; status: string; counts: { done: number } }>;
    expect(runs).toMatchObject([{ profile: 'At two', status: 'ok', counts: { done: 1 } }]);
    await expect(page.getByRole('log')).toContainText('At two: run started by its schedule');
    expect((await readTree(page, 'sched-dst', { skip: '.quintet' })).files).toEqual((await readTree(page, 'sched-src')).files);
  });
});
