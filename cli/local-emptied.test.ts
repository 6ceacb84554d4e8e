/** `quintet local` Two-way when a folder suddenly holds nothing (a disk not mounted): it is left out, nothing is deleted. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo, treeOf } from './test-io.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { EMPTIED_MIN_FILES } from '../core/plan/restrict.ts';

afterAll(removeTempDirs);

describe('quintet local Two-way and a folder that suddenly holds nothing', () => {
  it('deletes nothing on the others, writes nothing there, says so; once it is back, deletions made meanwhile reach it', async () => {
    const [a, b, c, away] = [await tempDir(), await tempDir(), await tempDir(), await tempDir()];
    // A tree of files (EMPTIED_MIN_FILES and more): a handful cleared by hand spreads as ever.
    const photos = Object.fromEntries(Array.from({ length: EMPTIED_MIN_FILES }, (_, i) => [`p${i}.jpg`, `photo ${i}`]));
    await seedDir(a, { docs: { 'report.txt': 'report' }, photos, 'notes.txt': 'notes' });
    const first = await testIo();
    expect(await main(['local', a, b, c, '--preset', 'two-way', '--yes'], first)).toBe(EXIT.done);
    const [fullB, fullC] = [await treeOf(b), await treeOf(c)];
    expect(Object.keys(fullC)).toContain('docs/report.txt');

    // A's disk is unmounted: the mount point is an empty folder (its .quintet/ went with the disk too).
    const mounted = join(away, 'disk');
    await rename(a, mounted);
    await mkdir(a);
    const io = await testIo({ env: first.env });
    expect(await main(['local', a, b, c, '--preset', 'two-way', '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(io.text()).toMatch(/A1 \(root\) — holds nothing, where it held files at the last run/);
    expect(await treeOf(b)).toEqual(fullB);
    expect(await treeOf(c)).toEqual(fullC);
    expect(Object.keys(await treeOf(a))).toEqual([]);

    // Meanwhile notes.txt is deleted on B (carried to C); then A's disk is back, as it was.
    await rm(join(b, 'notes.txt'));
    expect(await main(['local', a, b, c, '--preset', 'two-way', '--yes'], await testIo({ env: first.env }))).toBe(EXIT.doneWithIssues);
    await rm(a, { recursive: true });
    await rename(mounted, a);
    expect(await main(['local', a, b, c, '--preset', 'two-way', '--yes'], await testIo({ env: first.env }))).toBe(EXIT.done);
    for (const dir of [a, b, c]) {
      expect(Object.keys(await treeOf(dir)).sort()).toEqual(['docs', 'docs/report.txt', 'photos', ...Object.keys(photos).map((p) => `photos/${p}`)].sort());
      expect(await readFile(join(dir, 'docs', 'report.txt'), 'utf8')).toBe('report');
    }
  });

  it('Mirror from it (a nightly backup from an unmounted disk) is refused: the backup stays whole', async () => {
    const [a, b, away] = [await tempDir(), await tempDir(), await tempDir()];
    await seedDir(a, { photos: Object.fromEntries(Array.from({ length: EMPTIED_MIN_FILES }, (_, i) => [`p${i}.jpg`, `photo ${i}`])) });
    const first = await testIo();
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], first)).toBe(EXIT.done);
    const backup = await treeOf(b);
    await rename(a, join(away, 'disk'));
    await mkdir(a);
    const io = await testIo({ env: first.env });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(io.text()).toMatch(/A1 \(root\) — holds nothing/);
    expect(await treeOf(b)).toEqual(backup);
  });
});
