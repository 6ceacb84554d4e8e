/** Issue 6: three members in separate browser contexts — Mirror A1 → B1 and C1, then Two-way with edits everywhere, byte for byte. */
import { test, expect } from '@playwright/test';
import { threeMembers } from './support/cloud-members.ts';
import { readTree, removePath, writeTree } from './support/opfs-tree.ts';
import { addFoldersOfThree, inventory, synchronize, transferStats } from './support/cloud-run.ts';
import { storedRuns } from './support/run-records.ts';

test('Mirror A1 → B1 and C1, then Two-way across A, B, C with edits on each; every file checked', async ({ browser }) => {
  const { members, a, b, c } = await threeMembers(browser);

  await addFoldersOfThree([a, b, c], [
    ['a1', {
      'docs/report.txt': { text: 'quarterly report' }, 'docs/big.bin': { size: 3_000_000, seed: 1 }, 'photos/p1.jpg': { size: 400_000, seed: 2 },
      'photos/empty': null, 'top.txt': { text: 'top' },
    }],
    ['b1', { 'docs/report.txt': { text: 'stale' }, 'only-b.txt': { text: 'B had this' } }],
    ['c1', {}],
  ]);

  await inventory(a, [a, b, c]);
  await expect(b.getByRole('button', { name: 'Start inventory' })).toHaveCount(0); // only A starts
  expect(await synchronize(a, [a, b, c], 'mirror', 'A1', 'B1')).toEqual(Array(3).fill('Synchronization complete'));
  const source = await readTree(a, 'a1', { skip: '.quintet' });
  expect(await readTree(b, 'b1', { skip: '.quintet' })).toEqual(source);
  // Every page's grid is fresh after the run (issue 14): top.txt was only on A1, now it lacks only on C1; no "A1 → B1" left.
  for (const p of [a, b, c]) {
    const grid = p.getByRole('table', { name: 'Comparison' });
    await expect(grid.getByRole('row').filter({ has: p.getByRole('rowheader', { name: 'top.txt', exact: true }) })).toContainText('Missing on C1');
    await expect(grid).not.toContainText('A1 → B1');
  }
  await inventory(a, [a, b, c]);
  await synchronize(a, [a, b, c], 'mirror', 'A1', 'C1');
  expect(await readTree(c, 'c1', { skip: '.quintet' })).toEqual(source);
  // C's bytes came from A (the owner), straight: A served them, and nothing went through B.
  const [sa, sc] = [await transferStats(a), await transferStats(c)];
  expect(sc.counters.pulledBytes).toBeGreaterThanOrEqual(3_400_000);
  expect(sa.counters.servedBytes).toBeGreaterThanOrEqual(2 * 3_400_000 - 100_000);

  // Two-way: edits on every member; the base recorded by the mirrors tells a deletion from a creation.
  await writeTree(a, 'a1', { 'top.txt': { text: 'top, edited on A' } });
  await writeTree(b, 'b1', { 'docs/from-b.txt': { text: 'new on B' }, 'photos/p2.jpg': { size: 250_000, seed: 7 } });
  await removePath(c, 'c1/docs/report.txt');
  await writeTree(c, 'c1', { 'docs/big.bin': { size: 3_000_000, seed: 9 } });
  await inventory(a, [a, b, c]);
  expect(await synchronize(a, [a, b, c], 'two-way')).toEqual(Array(3).fill('Synchronization complete'));
  const [ta, tb, tc] = [await readTree(a, 'a1', { skip: '.quintet' }), await readTree(b, 'b1', { skip: '.quintet' }), await readTree(c, 'c1', { skip: '.quintet' })];
  expect(tb).toEqual(ta);
  expect(tc).toEqual(ta);
  expect(Object.keys(ta.files).sort()).toEqual(['docs/big.bin', 'docs/from-b.txt', 'photos/p1.jpg', 'photos/p2.jpg', 'top.txt']);
  expect(ta.files['docs/big.bin']).not.toBe(source.files['docs/big.bin']); // C's edit won everywhere
  expect(ta.files['top.txt']).not.toBe(source.files['top.txt']);
  // Every page recorded the three runs (issue 12): all ok, the three members present, each member's share listed.
  for (const p of [a, b, c]) {
    const runs = (await storedRuns(p)) as Array<{ kind: string; status: string; present: string[]; perMember: { letter: string }[] }>;
    expect(runs.map((r) => [r.kind, r.status])).toEqual(Array(3).fill(['cloud', 'ok']));
    for (const r of runs) {
      expect(r.present).toEqual(['alpha', 'bravo', 'charlie']);
      expect(r.perMember.map((m) => m.letter)).toEqual(['A', 'B', 'C']);
    }
  }
  for (const m of members) await m.context.close();
});
