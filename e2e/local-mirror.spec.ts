/** Issue 2: Local Session Mirror A1 → A2 on a mixed corpus, in real Chromium on OPFS folders. */
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { sourceCorpus, targetCorpus } from './support/corpus.ts';

const size = { bigMiB: 50, small: 2000 };

test('Mirror A1 → A2 makes the target equal the source and keeps everything it replaced', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', sourceCorpus(size));
  await writeTree(page, 'dst', targetCorpus(size));
  const sourceBefore = await readTree(page, 'src');
  const targetBefore = await readTree(page, 'dst');

  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  const table = page.getByRole('table', { name: 'Comparison' });
  await expect(table.getByRole('rowheader', { name: 'docs/2024/report.txt', exact: true })).toBeVisible();

  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');

  // The target now equals the source, byte for byte, names included (NFC and NFD kept apart).
  const targetAfter = await readTree(page, 'dst', { skip: '.quintet' });
  expect(targetAfter.files).toEqual(sourceBefore.files);
  expect(targetAfter.dirs).toEqual(sourceBefore.dirs);
  // The source is untouched.
  expect((await readTree(page, 'src')).files).toEqual(sourceBefore.files);

  // Everything the target held before is still in place or under .quintet/versions/<run>/.
  const versionsRoot = await readTree(page, 'dst/.quintet/versions');
  const runs = [...new Set(Object.keys(versionsRoot.files).map((p) => p.split('/')[0]))];
  expect(runs).toHaveLength(1);
  const kept = await readTree(page, `dst/.quintet/versions/${runs[0]}`);
  for (const [path, hash] of Object.entries(targetBefore.files)) {
    if (targetAfter.files[path] === hash) continue;
    expect(kept.files[path], `${path} kept under versions`).toBe(hash);
  }
  for (const dir of targetBefore.dirs) {
    if (!targetAfter.dirs.includes(dir)) expect(kept.dirs, `${dir} kept under versions`).toContain(dir);
  }
  // Nothing half-written was left behind.
  const staging = await readTree(page, 'dst/.quintet').then((t) => Object.keys(t.files).filter((p) => p.startsWith('tmp/')));
  expect(staging).toEqual([]);

  // A second inventory of the unchanged folders hashes nothing: the index knows every file.
  await inventory(page);
  const stats = await page.evaluate(() =>
    (window as unknown as { __quintet: { session: { inventories: { source: string; stats: { hashedBytes: number; files: number } }[] } } }).__quintet.session.inventories.map((i) => ({ source: i.source, ...i.stats })),
  );
  expect(stats.map((s) => s.source)).toEqual(['A1', 'A2']);
  for (const s of stats) {
    expect(s.files).toBeGreaterThan(2000);
    expect(s.hashedBytes, `${s.source} hashed bytes`).toBe(0);
  }
  await expect(table.getByRole('row')).toHaveCount(1 + Object.keys(sourceBefore.files).length + sourceBefore.dirs.length);
});
