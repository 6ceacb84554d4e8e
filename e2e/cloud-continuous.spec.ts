/**
 * Issue 13, continuous synchronization: three members in separate contexts on OPFS. Once A ticks "Continuous
 * synchronization", a file created, modified, renamed (a folder too) and deleted in A's folder appears accordingly in
 * B's and C's without anyone pressing a button; a rename sends no content; a paused member is left out and catches up on
 * Resume; edits of one file on A and B while the session is paused give one conflict copy everywhere.
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { join, meshed, threeMembers } from './support/cloud-members.ts';
import { removePath, settledTree, writeTree, type TreeSnapshot } from './support/opfs-tree.ts';
import { addFolder, addFoldersOfThree, allowWriting, transferStats } from './support/cloud-run.ts';

/** Generous: the quiet time is 0.4 s, a round a few seconds on a loaded machine; reconciliation catches a missed event at 60 s. */
const SLOW = { timeout: 150_000, intervals: [500, 1000, 2000] };

/**
 * Renames an OPFS file or directory within its parent. Chromium's OPFS handles have no move() here, so it is what a
 * rename is to an inventory anyway: the same bytes under the new name, then the old name removed.
 */
async function rename(page: Page, root: string, from: string, to: string): Promise<void> {
  await page.evaluate(async ({ root, from, to }) => {
    let dir = await navigator.storage.getDirectory();
    for (const part of root.split('/')) dir = await dir.getDirectoryHandle(part);
    const parts = from.split('/');
    const name = parts.pop()!;
    for (const part of parts) dir = await dir.getDirectoryHandle(part);
    async function copy(handle: FileSystemHandle, into: FileSystemDirectoryHandle, as: string): Promise<void> {
      if (handle.kind === 'file') {
        const w = await (await into.getFileHandle(as, { create: true })).createWritable();
        await w.write(await (handle as FileSystemFileHandle).getFile());
        await w.close();
        return;
      }
      const made = await into.getDirectoryHandle(as, { create: true });
      for await (const [n, child] of (handle as FileSystemDirectoryHandle).entries()) await copy(child, made, n);
    }
    const handle = await dir.getFileHandle(name).catch(() => dir.getDirectoryHandle(name));
    await copy(handle, dir, to);
    await dir.removeEntry(name, { recursive: true });
  }, { root, from, to });
}

const tree = settledTree;
const files = (t: TreeSnapshot) => Object.keys(t.files).sort();
/** Bytes this page's data channels received so far (RTCPeerConnection.getStats, sealed frames included). */
const received = async (page: Page) => Object.values((await transferStats(page)).channels).reduce((n, c) => n + c.bytesReceived, 0);

test('continuous: create, modify, rename, delete reach B and C; renames send no content; pause and resume; one conflict copy', async ({ browser }) => {
  const { members, a, b, c } = await threeMembers(browser);

  await writeTree(a, 'a1', { 'docs/report.txt': { text: 'first report' }, 'photos/p1.bin': { size: 1_500_000, seed: 2 }, 'photos/p2.bin': { size: 700_000, seed: 3 } });
  await writeTree(b, 'b1', { 'from-b.txt': { text: 'B had this' } });
  await writeTree(c, 'c1', {});
  await addFolder(a, 'A', 'a1');
  await addFolder(b, 'B', 'b1');
  await addFolder(c, 'C', 'c1');
  for (const p of [a, b, c]) await expect(p.getByRole('region', { name: 'Member C' })).toContainText('C1');

  // Only A sets it; every page shows it on, and each member allows writing to its own folder once.
  await expect(b.getByRole('checkbox', { name: 'Continuous synchronization' })).toBeDisabled();
  await a.getByRole('checkbox', { name: 'Continuous synchronization' }).check();
  for (const p of [b, c]) await expect(p.getByRole('checkbox', { name: 'Continuous synchronization' })).toBeChecked();
  await allowWriting(b, 'B1');
  await allowWriting(c, 'C1');
  await allowWriting(a, 'A1');

  // First round: a union (no base yet), everyone ends with everything.
  await expect.poll(async () => files(await tree(c, 'c1')), SLOW).toEqual(['docs/report.txt', 'from-b.txt', 'photos/p1.bin', 'photos/p2.bin']);
  await expect.poll(async () => files(await tree(a, 'a1')), SLOW).toContain('from-b.txt');
  await expect(a.getByRole('region', { name: 'Member B' })).toContainText('Continuous: watching');

  // Created and modified on A: on B and C, byte for byte.
  await writeTree(a, 'a1', { 'new.txt': { text: 'made on A' }, 'docs/report.txt': { text: 'second report, edited on A' } });
  const want = async () => (await tree(a, 'a1')).files;
  await expect.poll(async () => (await tree(b, 'b1')).files, SLOW).toEqual(await want());
  await expect.poll(async () => (await tree(c, 'c1')).files, SLOW).toEqual(await want());
  await expect(b.getByRole('list', { name: 'Activity' })).toContainText('new.txt');
  // B's FileSystemObserver saw the files its share wrote; B took them for its own echo, not for its user's changes.
  const echoes = (p: Page) => p.evaluate(() => (window as unknown as { __quintetCloud: { member: { continuous: { echoes: number } } } }).__quintetCloud.member.continuous.echoes);
  await expect.poll(() => echoes(b), SLOW).toBeGreaterThan(0);
  const { violations } = await new AxeBuilder({ page: b }).include('section.continuous').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // Renamed on A, a file and then a folder with files inside: the receivers copy their own bytes (no content sent).
  const before = [await received(b), await received(c)];
  await rename(a, 'a1', 'photos/p2.bin', 'p2-renamed.bin');
  await expect.poll(async () => files(await tree(c, 'c1')), SLOW).toContain('photos/p2-renamed.bin');
  await rename(a, 'a1', 'photos', 'pictures');
  for (const [p, root] of [[b, 'b1'], [c, 'c1']] as const) {
    await expect.poll(async () => files(await tree(p, root)), SLOW).toEqual(['docs/report.txt', 'from-b.txt', 'new.txt', 'pictures/p1.bin', 'pictures/p2-renamed.bin']);
  }
  expect((await tree(c, 'c1')).files).toEqual(await want());
  const after = [await received(b), await received(c)];
  // 2.2 MB of content moved on each; what came in over the channel is inventories, plans and progress: far less.
  for (const i of [0, 1]) expect(after[i]! - before[i]!).toBeLessThan(400_000);
  await expect(c.getByRole('list', { name: 'Activity' })).toContainText('copied locally (renamed)');

  // Deleted on A: gone on B and C (kept in their versions).
  await removePath(a, 'a1/new.txt');
  await expect.poll(async () => files(await tree(b, 'b1')), SLOW).not.toContain('new.txt');
  await expect.poll(async () => files(await tree(c, 'c1')), SLOW).not.toContain('new.txt');

  // C pauses itself: A's next file reaches B, not C; on Resume, C catches up.
  await c.getByRole('button', { name: 'Pause' }).click();
  await expect(a.getByRole('region', { name: 'Member C' })).toContainText('Continuous: paused');
  await writeTree(a, 'a1', { 'while-c-paused.txt': { text: 'C was away' } });
  await expect.poll(async () => files(await tree(b, 'b1')), SLOW).toContain('while-c-paused.txt');
  await expect(a.getByRole('status').filter({ hasText: 'Watching for changes' })).toBeVisible({ timeout: 60_000 });
  expect(files(await tree(c, 'c1'))).not.toContain('while-c-paused.txt');
  await c.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(async () => files(await tree(c, 'c1')), SLOW).toContain('while-c-paused.txt');

  // A pauses the session; A and B edit the same file; on Resume one round sees both edits: one conflict copy everywhere.
  await a.getByRole('button', { name: 'Pause' }).click();
  await expect(b.getByText('Member A paused continuous synchronization.')).toBeVisible();
  await expect(a.getByRole('status').filter({ hasText: /^Paused$/ })).toBeVisible({ timeout: 60_000 });
  await writeTree(a, 'a1', { 'docs/report.txt': { text: 'A’s version' } });
  await writeTree(b, 'b1', { 'docs/report.txt': { text: 'B’s version' } });
  await a.getByRole('button', { name: 'Resume' }).click();
  const conflictCopies = async (p: Page, root: string) => files(await tree(p, root)).filter((f) => f.startsWith('docs/report.conflict-'));
  for (const [p, root] of [[a, 'a1'], [b, 'b1'], [c, 'c1']] as const) await expect.poll(() => conflictCopies(p, root), SLOW).toHaveLength(1);
  const ta = await tree(a, 'a1');
  await expect.poll(async () => (await tree(b, 'b1')).files, SLOW).toEqual(ta.files);
  await expect.poll(async () => (await tree(c, 'c1')).files, SLOW).toEqual(ta.files);
  for (const m of members) await m.context.close();
});

test('continuous: B leaves, A changes things, B comes back and catches up (a deletion made meanwhile stays a deletion)', async ({ browser }) => {
  const { members, a, b, c } = await threeMembers(browser);
  const id = await a.getByRole('textbox', { name: 'Session ID' }).inputValue();
  await addFoldersOfThree([a, b, c], [['a1', { 'keep.txt': { text: 'kept' }, 'gone.txt': { text: 'to be deleted while B is away' } }], ['b1', {}], ['c1', {}]]);
  await a.getByRole('checkbox', { name: 'Continuous synchronization' }).check();
  await allowWriting(b, 'B1');
  await allowWriting(c, 'C1');
  for (const [p, root] of [[b, 'b1'], [c, 'c1']] as const) await expect.poll(async () => files(await tree(p, root)), SLOW).toEqual(['gone.txt', 'keep.txt']);

  // B leaves; A deletes one file and makes another: C (now B) follows, and the deleted file does not come back.
  await b.getByRole('button', { name: 'Exit session' }).click();
  for (const p of [a, c]) await meshed(p, 2);
  await removePath(a, 'a1/gone.txt');
  await writeTree(a, 'a1', { 'new.txt': { text: 'made while B was away' } });
  await expect.poll(async () => files(await tree(c, 'c1')), SLOW).toEqual(['keep.txt', 'new.txt']);
  expect(files(await tree(a, 'a1'))).toEqual(['keep.txt', 'new.txt']);

  // B comes back with the new password and its folder as it left it: it gets the new file and loses the deleted one.
  const renewed = await a.getByRole('textbox', { name: 'Session password' }).inputValue();
  await join(b, id, renewed, 'C');
  for (const p of [a, b, c]) await meshed(p, 3);
  await addFolder(b, 'C', 'b1');
  await allowWriting(b, 'C1');
  await expect.poll(async () => files(await tree(b, 'b1')), SLOW).toEqual(['keep.txt', 'new.txt']);
  expect(files(await tree(a, 'a1'))).toEqual(['keep.txt', 'new.txt']);
  for (const m of members) await m.context.close();
});
