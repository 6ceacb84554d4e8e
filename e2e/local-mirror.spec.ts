/** Issue 2: Local Session Mirror A1 → A2 on a mixed corpus, in real Chromium on OPFS folders. */
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { sourceCorpus, targetCorpus } from './support/corpus.ts';
import { createHash } from 'node:crypto';

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

  // The worker pool's hashes agree with Node's SHA-256 (a future Node member must agree byte for byte) and, for a
  // 400-block file, with a plain main-thread digest per block (checks the worker's 4 MiB slicing).
  type Item = { path: string; kind: string; blocks?: string[]; hash?: string; blockSize?: number };
  const items = await page.evaluate(() =>
    (window as unknown as { __quintet: { session: { inventories: { items: Item[] }[] } } }).__quintet.session.inventories[0]!.items.filter((i) => ['docs/2024/report.txt', 'empty.txt', 'big/large.bin'].includes(i.path)),
  );
  const sha = (data: Buffer | string) => createHash('sha256').update(data).digest();
  const report = items.find((i) => i.path === 'docs/2024/report.txt')!;
  expect(report.blocks).toEqual([sha('quarterly report, final\n').toString('hex')]);
  expect(report.hash).toBe(sha(sha('quarterly report, final\n')).toString('hex'));
  expect(items.find((i) => i.path === 'empty.txt')).toMatchObject({ blocks: [], hash: sha('').toString('hex') });
  const large = items.find((i) => i.path === 'big/large.bin')!;
  expect(large.blockSize).toBe(128 * 1024);
  const mainThread = await page.evaluate(async (blockSize) => {
    let dir = await navigator.storage.getDirectory();
    for (const part of ['src', 'big']) dir = await dir.getDirectoryHandle(part);
    const bytes = new Uint8Array(await (await (await dir.getFileHandle('large.bin')).getFile()).arrayBuffer());
    const out: string[] = [];
    for (let off = 0; off < bytes.length; off += blockSize) {
      const d = await crypto.subtle.digest('SHA-256', bytes.subarray(off, off + blockSize));
      out.push(Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join(''));
    }
    return out;
  }, large.blockSize!);
  expect(large.blocks).toHaveLength(400);
  expect(large.blocks).toEqual(mainThread);
  expect(large.hash).toBe(sha(Buffer.concat(mainThread.map((h) => Buffer.from(h, 'hex')))).toString('hex'));

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
  // Windowed past 200 rows: the table says how many it has, the DOM holds the rows in view.
  await expect(table).toHaveAttribute('aria-rowcount', String(1 + Object.keys(sourceBefore.files).length + sourceBefore.dirs.length));
});
