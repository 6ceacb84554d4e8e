/** Issue 3: Two-way across three OPFS folders with edits on each, deletions on two, and one conflict; checked file by file. */
import { createHash } from 'node:crypto';
import { test, expect, openLocalSession, inventory } from './support/fixtures.ts';
import { readTree, removePath, writeTree, type TreeSnapshot } from './support/opfs-tree.ts';
import { applyTwoWay, confirmRun } from './support/two-way.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const base = {
  'shared.txt': { text: 'shared, as synced\n' },
  'docs/a.txt': { text: 'a, as synced\n' },
  'docs/b.txt': { text: 'b, as synced\n' },
  'gone-on-1.txt': { text: 'deleted on A1 later\n' },
  'gone-on-2.txt': { text: 'deleted on A2 later\n' },
  'report.txt': { text: 'report, as synced\n' },
};

test('Two-way: edits and creations everywhere, deletions propagate, a conflict keeps both versions', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'one', base);
  await writeTree(page, 'two', { 'docs': null });
  await writeTree(page, 'three', {});
  await openLocalSession(page, ['one', 'two', 'three']);

  // First run: no base yet, so Two-way is a union (nothing deleted); it records the base.
  await inventory(page);
  await applyTwoWay(page);
  await expect(page.getByText(/First two-way run for these sources/)).toBeVisible();
  expect(await confirmRun(page)).toBe('Synchronization complete');
  for (const root of ['two', 'three']) expect((await readTree(page, root, { skip: '.quintet' })).files).toEqual((await readTree(page, 'one')).files);

  // Edits on each side since that run.
  await writeTree(page, 'one', { 'docs/a.txt': { text: 'a, edited on A1\n' }, 'new-on-1.txt': { text: 'created on A1\n' }, 'report.txt': { text: 'report, A1 version\n' } });
  await removePath(page, 'one/gone-on-1.txt');
  await writeTree(page, 'two', { 'docs/b.txt': { text: 'b, edited on A2\n' }, 'new/deep/on-2.txt': { text: 'created on A2\n' } });
  await removePath(page, 'two/gone-on-2.txt');
  await page.waitForTimeout(1100); // A3's edit of report.txt is the newer one: it wins the conflict
  await writeTree(page, 'three', { 'shared.txt': { text: 'shared, edited on A3\n' }, 'report.txt': { text: 'report, A3 version\n' } });

  await inventory(page);
  await applyTwoWay(page);
  await expect(page.getByText(/Changes since the last synchronization/)).toBeVisible();
  const table = page.getByRole('table', { name: 'Comparison' });
  await expect(table.getByRole('row', { name: /report\.txt/ })).toContainText('keep as conflict copy on A1');
  expect(await confirmRun(page)).toBe('Synchronization complete');
  const status = page.getByRole('status');
  await expect(status).toContainText('1 conflict: every version was kept');
  await expect(status).toContainText('report.txt: the version of A3 stays');

  // File by file, on every folder.
  const trees: TreeSnapshot[] = [];
  for (const root of ['one', 'two', 'three']) trees.push(await readTree(page, root, { skip: '.quintet' }));
  const conflictCopy = Object.keys(trees[0]!.files).find((p) => p.startsWith('report.conflict-'));
  expect(conflictCopy).toMatch(/^report\.conflict-A1-\d{8}-\d{6}\.txt$/);
  const expected: Record<string, string> = {
    'shared.txt': sha('shared, edited on A3\n'),
    'docs/a.txt': sha('a, edited on A1\n'),
    'docs/b.txt': sha('b, edited on A2\n'),
    'new-on-1.txt': sha('created on A1\n'),
    'new/deep/on-2.txt': sha('created on A2\n'),
    'report.txt': sha('report, A3 version\n'),
    [conflictCopy!]: sha('report, A1 version\n'),
  };
  for (const [i, tree] of trees.entries()) {
    expect(tree.files, `A${i + 1}`).toEqual(expected);
    expect(tree.dirs, `A${i + 1}`).toEqual(['docs', 'new', 'new/deep']);
  }
  // What the run deleted or replaced is under each folder's versions.
  const kept = async (root: string) => {
    const versions = await readTree(page, `${root}/.quintet/versions`);
    return Object.entries(versions.files).map(([p, h]) => [p.split('/').slice(1).join('/'), h] as const);
  };
  expect(await kept('two')).toEqual(expect.arrayContaining([['gone-on-1.txt', sha('deleted on A1 later\n')], ['shared.txt', sha('shared, as synced\n')]]));
  expect(await kept('three')).toEqual(expect.arrayContaining([['gone-on-1.txt', sha('deleted on A1 later\n')], ['gone-on-2.txt', sha('deleted on A2 later\n')]]));
  expect(await kept('one')).toEqual(expect.arrayContaining([['report.txt', sha('report, A1 version\n')], ['gone-on-2.txt', sha('deleted on A2 later\n')]]));

  // Stable: a fresh inventory and Two-way find nothing left to do.
  await inventory(page);
  await applyTwoWay(page);
  await expect(page.getByText('Nothing to do: the target already matches.')).toBeVisible();
});
