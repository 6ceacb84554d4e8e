import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmod, readdir, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo, treeOf } from './test-io.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

const big = (n: number, seed: number) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * seed + (i >> 9)) & 255;
  return out;
};
const T0 = Date.UTC(2023, 4, 6, 7, 8, 9) + 123; // a past time with milliseconds, set on every seeded item

/** Past times on every item; `shift` moves them, so a file of equal size is not skipped by rsync's size+time check. */
async function ageTree(root: string, shift = 0, rel = ''): Promise<void> {
  const dir = join(root, rel);
  for (const name of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    if (name.isDirectory()) await ageTree(root, shift, join(rel, name.name));
    await utimes(path, (T0 + 7) / 1000, (T0 + shift + name.name.length * 1111) / 1000);
  }
}

describe('quintet local', () => {
  it('leaves the target as rsync -a --delete does (times and modes included), keeping versions of what it replaced or deleted', async () => {
    const [a, b, oracle] = [await tempDir(), await tempDir(), await tempDir()];
    await seedDir(a, {
      'same.txt': 'unchanged', 'same-content-other-time.txt': 'equal bytes', 'replace.txt': 'new content',
      'big.bin': big(3 * (1 << 20) + 17, 13), docs: { 'readme.md': '# hi', deep: { 'x.bin': big(4000, 7) }, empty: {} },
      'script.sh': '#!/bin/sh\necho hi\n', 'a:b.txt': 'a colon is fine on Linux',
    });
    await seedDir(b, {
      'same.txt': 'unchanged', 'same-content-other-time.txt': 'equal bytes', 'replace.txt': 'old content, longer',
      'big.bin': big(3 * (1 << 20) + 17, 11), 'deleted.txt': 'goes away', olddir: { 'inner.txt': 'goes too', sub: {} },
      docs: { 'readme.md': 'old readme', 'stale.txt': 'stale' },
    });
    await ageTree(a);
    await ageTree(b, 5000);
    await chmod(join(a, 'script.sh'), 0o755);
    await chmod(join(a, 'docs', 'readme.md'), 0o600);
    await chmod(join(a, 'docs', 'deep'), 0o750);
    await utimes(join(b, 'same-content-other-time.txt'), T0 / 1000, (T0 + 99_000) / 1000); // rsync fixes the time only
    await utimes(join(b, 'same.txt'), (T0 + 7) / 1000, (T0 + 'same.txt'.length * 1111) / 1000);
    execFileSync('cp', ['-a', `${b}/.`, oracle]);
    execFileSync('rsync', ['-a', '--delete', '--exclude=/.quintet', `${a}/`, `${oracle}/`]);
    const before = await treeOf(b);

    const io = await testIo();
    const code = await main(['local', a, b, '--preset', 'mirror', '--yes'], io);
    expect(io.text()).toContain('Kept modification times and permission bits');
    expect(code).toBe(EXIT.done);
    expect(await treeOf(b)).toEqual(await treeOf(oracle));
    expect(await treeOf(b)).not.toEqual(before);

    // Everything replaced or deleted is under .quintet/versions/<run>/, as it was.
    const runs = await readdir(join(b, '.quintet', 'versions'));
    expect(runs).toHaveLength(1);
    const kept = join(b, '.quintet', 'versions', runs[0] as string);
    expect(await readFile(join(kept, 'replace.txt'), 'utf8')).toBe('old content, longer');
    expect(await readFile(join(kept, 'deleted.txt'), 'utf8')).toBe('goes away');
    expect(await readFile(join(kept, 'olddir', 'inner.txt'), 'utf8')).toBe('goes too');
    expect(await readFile(join(kept, 'docs', 'readme.md'), 'utf8')).toBe('old readme');
    expect(await readFile(join(kept, 'docs', 'stale.txt'), 'utf8')).toBe('stale');
    expect((await readFile(join(kept, 'big.bin'))).equals(big(3 * (1 << 20) + 17, 11))).toBe(true); // not toEqual: 3 MiB element by element is slow
    expect(await readdir(join(b, '.quintet', 'tmp'))).toEqual([]);

    // A second run finds nothing to do and hashes nothing: the index kept the times just set.
    const again = await testIo({ env: io.env });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], again)).toBe(EXIT.done);
    expect(again.text()).toMatch(/A2: .*\(0 hashed/);
    expect(again.text()).toContain('0 copies');
  });

  it('reports links, special files and refused names as skipped, copies the rest, and exits "done with skipped items"', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'real.txt': 'x', dir: { f: 'y' }, 'a:b.txt': 'colon', 'back\\slash.txt': 'backslash' });
    execFileSync('ln', ['-s', 'real.txt', join(a, 'to-file')]);
    execFileSync('ln', ['-s', 'dir', join(a, 'to-dir')]);
    execFileSync('ln', ['-s', 'nowhere', join(a, 'dangling')]);
    execFileSync('mkfifo', [join(a, 'fifo')]);
    const io = await testIo();
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect((await readdir(b)).sort()).toEqual(['.quintet', 'a:b.txt', 'dir', 'real.txt']);
    const text = io.text();
    expect(text).toMatch(/A1 to-file — link: symbolic link to a file \(real.txt\), not followed/);
    expect(text).toMatch(/A1 to-dir — link: symbolic link to a directory/);
    expect(text).toMatch(/A1 dangling — link: dangling symbolic link/);
    expect(text).toMatch(/A1 fifo — special: FIFO/);
    expect(text).toMatch(/A1 back\\slash.txt — invalid-name/);
    expect(text).toMatch(/Done: 4 done, 0 failed, 5 skipped/);
  });

  it('refuses a source inside another one, or holding it (a file too), before anything is read or written', async () => {
    const a = await tempDir();
    await seedDir(a, { 'x.txt': 'x', backup: { 'old.txt': 'old' } });
    const before = await treeOf(a);
    for (const args of [[a, join(a, 'backup')], [join(a, 'backup'), a], [a, join(a, 'x.txt')], [join(a, 'backup', '..', 'backup'), a]]) {
      const io = await testIo();
      expect(await main(['local', ...args, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.couldNotStart);
      expect(io.errors.join('\n')).toMatch(/is inside .*another source \(or holds it\)/);
    }
    expect(await treeOf(a)).toEqual(before);
    const p = await tempDir(); // side by side, one name starting like the other: not nested
    await seedDir(p, { data: { 'y.txt': 'y' }, data2: {} });
    const io = await testIo();
    expect(await main(['local', join(p, 'data'), join(p, 'data2'), '--preset', 'mirror', '--yes'], io)).toBe(EXIT.done);
    expect(await readFile(join(p, 'data2', 'y.txt'), 'utf8')).toBe('y');
  });

  it('shows the comparison and changes nothing without a preset', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { f: 'x' });
    const io = await testIo();
    expect(await main(['local', a, b], io)).toBe(EXIT.done);
    expect(io.text()).toContain('Comparison: 1 item — 0 identical, 0 different, 1 missing somewhere');
    expect(await readdir(b)).toEqual(['.quintet']); // only its index
    expect(await readdir(join(b, '.quintet'))).toEqual(['index.json']);
  });

  it('runs two-way across three folders', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await seedDir(a, { 'from-a': 'A' });
    await seedDir(b, { 'from-b': 'B' });
    await seedDir(c, { sub: { 'from-c': 'C' } });
    const io = await testIo();
    expect(await main(['local', a, b, c, '--preset', 'two-way', '--yes'], io)).toBe(EXIT.done);
    for (const dir of [a, b, c]) expect(Object.keys(await treeOf(dir)).sort()).toEqual(['from-a', 'from-b', 'sub', 'sub/from-c']);
  });

  it('cleans up versions past the retention setting at the start of the run and says so', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'new' });
    // Runs of 2020 and 2021 (no manifest): older than the default year; the newest run's versions always stay.
    await seedDir(b, { 'x.txt': 'old', '.quintet': { versions: { '20200101-000000': { 'y.txt': 'older than a year' }, '20210101-000000': { 'y.txt': 'newest run' } } } });
    const io = await testIo();
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.done);
    expect(io.text()).toMatch(/Retention: A2: 1 version removed \(17 B\)/);
    const versions = await readdir(join(b, '.quintet', 'versions'));
    expect(versions).not.toContain('20200101-000000');
    expect(versions).toHaveLength(2); // 2021's and this run's, holding the replaced x.txt
  });
});
