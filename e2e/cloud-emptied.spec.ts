/**
 * A member's folder emptied between two cloud Two-way runs (its disk not mounted): only the leader's base tells, so
 * its plan names the source (`emptied`, docs/protocol.md §5.1, §10.1) and every member's page says it, not only A's.
 */
import { test, expect, type Page } from '@playwright/test';
import { threeMembers } from './support/cloud-members.ts';
import { readTree, removePath, writeTree, type TreeSpec } from './support/opfs-tree.ts';
import { addFoldersOfThree, inventory, synchronize } from './support/cloud-run.ts';

const tree: TreeSpec = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, { text: `file ${i}\n` }]));
const files = async (page: Page, root: string) => Object.keys((await readTree(page, root, { skip: '.quintet' })).files).sort();

test('C’s folder emptied: left out, A and B still synchronize, and C’s and B’s pages say which folder and why', async ({ browser }) => {
  test.setTimeout(300_000);
  const { members, a, b, c } = await threeMembers(browser);
  await addFoldersOfThree([a, b, c], [['a1', tree], ['b1', {}], ['c1', {}]]);
  await inventory(a, [a, b, c]);
  expect(await synchronize(a, [a, b, c], 'two-way')).toEqual(Array(3).fill('Synchronization complete'));
  expect(await files(c, 'c1')).toEqual(await files(a, 'a1'));

  // C's disk "unmounted": an empty folder where its tree stood. B made a file meanwhile.
  const names = await c.evaluate(async () => {
    const out: string[] = [];
    for await (const name of (await (await navigator.storage.getDirectory()).getDirectoryHandle('c1')).keys()) out.push(name);
    return out;
  });
  for (const name of names) await removePath(c, `c1/${name}`);
  await writeTree(b, 'b1', { 'new-on-b.txt': { text: 'made on B meanwhile\n' } });

  await inventory(a, [a, b, c]);
  expect(await synchronize(a, [a, b, c], 'two-way')).toEqual(Array(3).fill('Synchronization finished with 1 skipped'));
  for (const p of [b, c]) await expect(p.getByRole('alert').filter({ hasText: 'C1 holds nothing, where it held files at the last synchronization' })).toContainText('nothing is deleted on the others');
  expect(await files(a, 'a1')).toEqual([...Object.keys(tree), 'new-on-b.txt'].sort());
  expect(await files(b, 'b1')).toEqual(await files(a, 'a1'));
  expect(await files(c, 'c1')).toEqual([]);
  for (const m of members) await m.context.close();
});
