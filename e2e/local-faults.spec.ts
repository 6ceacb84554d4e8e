/** Issue 2, bad input: revoked permission, a vanished file, a file changed since inventory → per-item errors, the run goes on, nothing half-written. */
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, removePath, writeTree } from './support/opfs-tree.ts';

const source = {
  'keep/a.txt': { text: 'a\n' },
  'keep/b.txt': { text: 'b\n' },
  'vanishes.txt': { text: 'here at inventory time\n' },
  'changes.bin': { size: 3 * 1024 * 1024, seed: 3 },
  'later/c.txt': { text: 'c\n' },
};

test('a vanished file and a file changed since inventory fail alone; everything else is synchronized', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', source);
  await writeTree(page, 'dst', { 'changes.bin': { text: 'old target content\n' } });
  const targetBefore = await readTree(page, 'dst');

  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  // Between inventory and synchronization: one file disappears, one is rewritten (same size, other bytes).
  await removePath(page, 'src/vanishes.txt');
  await writeTree(page, 'src', { 'changes.bin': { size: 3 * 1024 * 1024, seed: 4 } });

  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization finished with 2 errors');
  const status = page.getByRole('status');
  await expect(status).toContainText('A2/vanishes.txt: vanished');
  await expect(status).toContainText('A2/changes.bin: changed since the inventory');

  const after = await readTree(page, 'dst', { skip: '.quintet' });
  const src = await readTree(page, 'src');
  // The run went on: the other files arrived intact.
  for (const path of ['keep/a.txt', 'keep/b.txt', 'later/c.txt']) expect(after.files[path]).toBe(src.files[path]);
  // Nothing half-written: the changed file's target still holds its old content, the vanished one never appeared.
  expect(after.files['changes.bin']).toBe(targetBefore.files['changes.bin']);
  expect(after.files['vanishes.txt']).toBeUndefined();
  const quintet = await readTree(page, 'dst/.quintet').catch(() => ({ files: {}, dirs: [] }));
  expect(Object.keys(quintet.files).filter((p) => p.startsWith('tmp/'))).toEqual([]);
});

test('a target whose permission is revoked skips every item, says so, and writes nothing; a revoked source is reported at inventory', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'x.txt': { text: 'x\n' }, 'y/z.txt': { text: 'z\n' } });
  await writeTree(page, 'dst', { 'old.txt': { text: 'old\n' } });
  await writeTree(page, 'other', { 'o.txt': { text: 'o\n' } });

  await openLocalSession(page, ['src', 'dst', 'other']);
  await inventory(page);
  await page.evaluate(() => (window as unknown as { __quintetRevoke(n: string): void }).__quintetRevoke('dst'));

  const headline = await mirror(page, 'A1', 'A2');
  expect(headline).toBe('Synchronization finished with 4 skipped');
  await expect(page.getByRole('status')).toContainText('x.txt: no permission to write on A2');
  await expect(page.getByRole('alert').filter({ hasText: 'Chrome did not give Quintet permission to write to A2' })).toBeVisible();
  const after = await readTree(page, 'dst');
  expect(after.files).toEqual({ 'old.txt': expect.any(String) });

  // A source revoked before the inventory: a clear error for it, the others are still inventoried.
  await page.evaluate(() => {
    const w = window as unknown as { __quintetRevoke(n: string): void; __quintetRestore(n: string): void };
    w.__quintetRestore('dst');
    w.__quintetRevoke('other');
  });
  await inventory(page);
  await expect(page.getByText(/^1 item could not be read/)).toBeVisible(); // one source, one unreadable root (Intl plural)
  await expect(page.getByText(/A3 — .*permission denied/)).toBeVisible();
  const stats = await page.evaluate(() =>
    (window as unknown as { __quintet: { session: { inventories: { source: string; stats: { files: number } }[] } } }).__quintet.session.inventories.map((i) => [i.source, i.stats.files]),
  );
  expect(stats).toEqual([['A1', 2], ['A2', 1], ['A3', 0]]);
});
