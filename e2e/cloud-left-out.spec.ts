/**
 * Continuous synchronization leaves out a member's folder that suddenly holds nothing (its disk not mounted,
 * docs/protocol.md §5.1, §12): the leader's `left-out` message tells every page once, nothing is deleted on the
 * others, they still synchronize among themselves, and once the files are back the pages say so and rounds take the
 * folder again. Three members in separate contexts on OPFS folders. In a round by hand with two members, A's plan is
 * then refused and never sent: B's page still says why, from the same message.
 */
import { test, expect, type Page } from '@playwright/test';
import { removePath, settledTree, writeTree, type TreeSpec } from './support/opfs-tree.ts';
import { join, meshed, newMember, startSession, threeMembers } from './support/cloud-members.ts';
import { addFolder, addFoldersOfThree, allowWriting, inventory, synchronize } from './support/cloud-run.ts';

/**
 * Generous: a quiet run takes each round a few seconds and the whole spec about a minute; a loaded CI machine is
 * several times slower, and reconciliation (60 s) catches a missed watcher event. Every wait here is at least 3×.
 */
const SLOW = { timeout: 180_000, intervals: [500, 1000, 2000] };
const NOTICE = { timeout: 180_000 };

// Twelve files (EMPTIED_MIN_FILES is 10) under one folder, so the "unmount" is one removal, seen by one round.
const docs: TreeSpec = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`docs/f${i}.txt`, { text: `file ${i}\n` }]));

const tree = settledTree;
const files = async (page: Page, root: string) => Object.keys((await tree(page, root)).files).sort();

test('continuous: C’s folder emptied is left out on every page (EN, FR), nothing is deleted, A and B go on; back once its files are', async ({ browser }) => {
  test.setTimeout(900_000);
  const { members, a, b, c } = await threeMembers(browser);
  await addFoldersOfThree([a, b, c], [['a1', docs], ['b1', {}], ['c1', {}]]);
  await a.getByRole('checkbox', { name: 'Continuous synchronization' }).check();
  for (const p of [b, c]) await expect(p.getByRole('checkbox', { name: 'Continuous synchronization' })).toBeChecked();
  await allowWriting(b, 'B1');
  await allowWriting(c, 'C1');
  await allowWriting(a, 'A1');
  const all = Object.keys(docs).sort();
  for (const [p, root] of [[b, 'b1'], [c, 'c1']] as const) await expect.poll(() => files(p, root), SLOW).toEqual(all);
  // A round after the first one records the base with C's twelve files; wait for A to be idle again before the unmount.
  await expect(a.getByRole('status').filter({ hasText: 'Watching for changes' })).toBeVisible(NOTICE);

  // C's "disk unmounted": its folder holds nothing any more.
  await removePath(c, 'c1/docs');
  const leftOut = 'C1 holds nothing where it held files (a disk not mounted?): left out of the rounds, nothing is deleted on the others.';
  for (const p of [a, b, c]) await expect(p.getByRole('alert').filter({ hasText: leftOut })).toBeVisible(NOTICE);
  // Said once: a later round (B's new file) does not say it again, and A and B still synchronize among themselves.
  await writeTree(b, 'b1', { 'while-c-out.txt': { text: 'made on B while C1 was left out\n' } });
  await expect.poll(() => files(a, 'a1'), SLOW).toContain('while-c-out.txt');
  for (const p of [a, b]) await expect(p.getByRole('alert').filter({ hasText: leftOut })).toHaveCount(1);
  expect(await files(a, 'a1')).toEqual([...all, 'while-c-out.txt'].sort());
  expect(await files(b, 'b1')).toEqual([...all, 'while-c-out.txt'].sort());
  expect(await files(c, 'c1')).toEqual([]); // nothing is written to a left-out folder either

  // The page in French says the same (the language switch is the user's, in the header).
  await b.getByLabel('Language').selectOption('fr');
  await expect(b.getByRole('alert').filter({ hasText: 'C1 ne contient plus rien alors qu’il avait des fichiers (un disque non monté ?) : laissé de côté par les tours, rien n’est supprimé ailleurs.' })).toBeVisible();
  await b.getByLabel('Langue').selectOption('en');

  // The disk is back. Files come back one by one, and a round over a half-restored folder would read the rest as
  // deletions (as a user's), so A pauses the session meanwhile: the next round sees the folder whole.
  await a.getByRole('button', { name: 'Pause' }).click();
  await expect(a.getByRole('status').filter({ hasText: /^Paused$/ })).toBeVisible(NOTICE);
  await writeTree(c, 'c1', docs);
  await a.getByRole('button', { name: 'Resume' }).click();
  for (const p of [a, b, c]) await expect(p.getByRole('status').filter({ hasText: 'C1 is back: synchronized again.' })).toBeVisible(NOTICE);
  for (const p of [a, b, c]) await expect(p.getByRole('alert').filter({ hasText: leftOut })).toHaveCount(0);
  // C catches up with what A and B did meanwhile, and its own changes spread again.
  await expect.poll(() => files(c, 'c1'), SLOW).toContain('while-c-out.txt');
  await writeTree(c, 'c1', { 'from-c-again.txt': { text: 'C takes part again\n' } });
  for (const [p, root] of [[a, 'a1'], [b, 'b1']] as const) await expect.poll(() => files(p, root), SLOW).toContain('from-c-again.txt');
  const want = [...all, 'from-c-again.txt', 'while-c-out.txt'].sort();
  for (const [p, root] of [[a, 'a1'], [b, 'b1'], [c, 'c1']] as const) await expect.poll(() => files(p, root), SLOW).toEqual(want);
  for (const m of members) await m.context.close();
});

test('by hand, two members: B’s folder emptied, A’s Two-way is refused, and B’s page says why (EN, FR); then that B1 is back', async ({ browser }) => {
  test.setTimeout(600_000);
  const members = [await newMember(browser, { name: 'alpha' }), await newMember(browser, { name: 'bravo' })];
  const [a, b] = members.map((m) => m.page) as [Page, Page];
  const { id, password } = await startSession(a);
  await join(b, id, password, 'B');
  for (const p of [a, b]) await meshed(p, 2);
  await writeTree(a, 'a1', docs);
  await writeTree(b, 'b1', {});
  await addFolder(a, 'A', 'a1');
  await addFolder(b, 'B', 'b1');
  await expect(a.getByRole('region', { name: 'Member B' })).toContainText('B1');
  await inventory(a, [a, b]);
  expect(await synchronize(a, [a, b], 'two-way')).toEqual(Array(2).fill('Synchronization complete'));
  const all = Object.keys(docs).sort();
  expect(await files(b, 'b1')).toEqual(all);

  await removePath(b, 'b1/docs');
  await inventory(a, [a, b]);
  const why = 'B1 holds nothing where it held files at the last synchronization (a disk not mounted?): Two-way leaves it out and a Mirror from it is refused, so nothing is deleted on the others. With two folders only, nothing is synchronized until it is back.';
  await expect(b.getByRole('alert').filter({ hasText: why })).toBeVisible(NOTICE);
  // A's plan: refused, nothing to start; B learnt it without any plan.
  const actions = a.getByRole('region', { name: 'Synchronization actions' });
  await actions.getByLabel('Preset').selectOption('two-way');
  await a.getByRole('button', { name: 'Apply preset' }).click();
  await expect(a.getByRole('alert').filter({ hasText: 'B1 holds nothing, where it held files at the last synchronization' })).toBeVisible();
  await expect(a.getByRole('button', { name: 'Start synchronization' })).toHaveCount(0);
  await b.getByLabel('Language').selectOption('fr');
  await expect(b.getByRole('alert').filter({ hasText: 'Avec deux dossiers seulement, rien n’est synchronisé avant son retour.' })).toContainText('B1 ne contient plus rien');
  await b.getByLabel('Langue').selectOption('en');
  expect(await files(a, 'a1')).toEqual(all);

  await writeTree(b, 'b1', docs);
  await inventory(a, [a, b]);
  await expect(b.getByRole('status').filter({ hasText: 'B1 is back: the next synchronization takes it in again.' })).toBeVisible(NOTICE);
  await expect(b.getByRole('alert').filter({ hasText: why })).toHaveCount(0);
  await writeTree(a, 'a1', { 'after.txt': { text: 'made on A once B1 was back\n' } });
  await inventory(a, [a, b]);
  expect(await synchronize(a, [a, b], 'two-way')).toEqual(Array(2).fill('Synchronization complete'));
  expect(await files(b, 'b1')).toEqual([...all, 'after.txt'].sort());
  for (const m of members) await m.context.close();
});
