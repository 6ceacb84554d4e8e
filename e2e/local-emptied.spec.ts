/**
 * A picked folder that is emptied, or removed, between two Two-way runs (an unmounted disk, a share gone): the next
 * Two-way must not read it as "everything deleted" (core/plan/restrict.ts, docs/protocol.md §5.1), nor make it again.
 */
import type { Page } from '@playwright/test';
import { test, expect, openLocalSession, inventory } from './support/fixtures.ts';
import { readTree, removePath, writeTree, type TreeSpec } from './support/opfs-tree.ts';
import { applyTwoWay, confirmRun } from './support/two-way.ts';

/** 12 files: above EMPTIED_MIN_FILES (10), so a sudden emptiness is left out rather than spread. */
const tree: TreeSpec = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`${i < 6 ? 'docs/' : ''}f${i}.txt`, { text: `file ${i}\n` }]));

/** Sources `one`, `two` … (A1, A2 …) in sync after a first Two-way, which records the base. */
async function inSync(page: Page, folders = ['one', 'two']): Promise<void> {
  await page.goto('/');
  await writeTree(page, folders[0]!, tree);
  for (const f of folders.slice(1)) await writeTree(page, f, {});
  await openLocalSession(page, folders);
  await inventory(page);
  await applyTwoWay(page);
  expect(await confirmRun(page)).toBe('Synchronization complete');
  for (const f of folders.slice(1)) expect((await readTree(page, f, { skip: '.quintet' })).files).toEqual((await readTree(page, folders[0]!, { skip: '.quintet' })).files);
}

/** Removes every entry of the OPFS folder `root` (its own .quintet folder too: a fresh, empty disk in its place). */
async function empty(page: Page, root: string): Promise<void> {
  const names = await page.evaluate(async (root) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(root);
    const out: string[] = [];
    for await (const name of dir.keys()) out.push(name);
    return out;
  }, root);
  for (const name of names) await removePath(page, `${root}/${name}`);
}

const exists = (page: Page, root: string) =>
  page.evaluate(async (root) => {
    for await (const name of (await navigator.storage.getDirectory()).keys()) if (name === root) return true;
    return false;
  }, root);

test('a folder emptied between runs is left out of Two-way, said in English and French, and nothing is deleted on the other', async ({ page }) => {
  await inSync(page);
  const before = await readTree(page, 'two');
  await empty(page, 'one');

  await inventory(page);
  await applyTwoWay(page);
  const actions = page.getByRole('region', { name: 'Synchronization actions' });
  await expect(actions.getByRole('alert')).toHaveText(/^A1 holds nothing, where it held files at the last synchronization: a disk not mounted or a folder replaced\? It is left out: nothing is deleted on the others/);
  await expect(page.getByRole('button', { name: 'Start synchronization' })).toHaveCount(0);
  expect(await readTree(page, 'two')).toEqual(before);
  expect(await readTree(page, 'one')).toEqual({ files: {}, dirs: [] });

  await page.evaluate(() => localStorage.setItem('quintet.lang', 'fr'));
  await page.reload();
  await page.getByRole('button', { name: /^(Démarrer l’inventaire|Relancer l’inventaire)$/ }).click();
  await expect(page.getByRole('table', { name: 'Comparaison' })).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Préréglage').selectOption('two-way');
  await page.getByRole('button', { name: 'Appliquer le préréglage' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'A1 ne contient plus rien' })).toContainText('rien n’est supprimé sur les autres');
  expect(await readTree(page, 'two')).toEqual(before);
});

test('with three folders, the others still synchronize while the emptied one is left out, and the result lists it as skipped', async ({ page }) => {
  await inSync(page, ['one', 'two', 'three']);
  await empty(page, 'one');
  await writeTree(page, 'two', { 'new-on-2.txt': { text: 'made on A2 meanwhile\n' } });

  await inventory(page);
  await applyTwoWay(page);
  await expect(page.getByRole('region', { name: 'Synchronization actions' }).getByRole('alert')).toContainText('A1 holds nothing');
  expect(await confirmRun(page)).toBe('Synchronization finished with 1 skipped');
  await expect(page.getByRole('status')).toContainText('A1: A1 holds nothing any more (a disk not mounted?): left out');
  // A2's new file reached A3; nothing was deleted on either, and nothing was written into the emptied A1.
  const two = await readTree(page, 'two', { skip: '.quintet' });
  expect(Object.keys(two.files)).toHaveLength(13);
  expect((await readTree(page, 'three', { skip: '.quintet' })).files).toEqual(two.files);
  expect(await readTree(page, 'one')).toEqual({ files: {}, dirs: [] });
});

test('a folder removed between runs (its handle stale) is not made again, nothing is deleted on the others, and the page says why', async ({ page }) => {
  await inSync(page, ['one', 'two', 'three']);
  await removePath(page, 'one');
  await writeTree(page, 'two', { 'new-on-2.txt': { text: 'made on A2 meanwhile\n' } });

  await inventory(page);
  await applyTwoWay(page);
  const alert = page.getByRole('region', { name: 'Synchronization actions' }).getByRole('alert');
  await expect(alert).toHaveText(/^A1 could not be read at all/);
  await expect(alert).toContainText('nothing is written there and nothing deleted on the others');
  expect(await confirmRun(page)).toBe('Synchronization finished with 1 skipped');
  await expect(page.getByRole('status')).toContainText('A1: A1 could not be read at all (removed, moved or on a disk not mounted?): left out');
  const two = await readTree(page, 'two', { skip: '.quintet' });
  expect(Object.keys(two.files)).toHaveLength(13);
  expect((await readTree(page, 'three', { skip: '.quintet' })).files).toEqual(two.files);
  expect(await exists(page, 'one')).toBe(false);

  // Once more, now that the base moved on: still nothing made where A1 stood.
  await inventory(page);
  await applyTwoWay(page);
  await expect(alert).toHaveText(/^A1 could not be read at all/);
  expect(await exists(page, 'one')).toBe(false);
});
