import { afterAll, describe, expect, it } from 'vitest';
import { rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasherContract } from '../../core/testing/hasher-contract.ts';
import { NobleHasher } from '../../core/testing/noble-hasher.ts';
import { NodeHasher } from './node-hasher.ts';
import { NodeDirSink } from './node-dir-sink.ts';
import { removeTempDirs, tempDir } from './temp-tree.ts';
import { keepReads, takeAgain } from './read-again.ts';

const hashers: NodeHasher[] = [];
const make = () => {
  const h = new NodeHasher(2);
  hashers.push(h);
  return h;
};
afterAll(async () => {
  await Promise.all(hashers.map((h) => h.dispose()));
  await removeTempDirs();
});

hasherContract('node:crypto', make);

describe('NodeHasher on files on disk', () => {
  it('hashes a large file in the workers by path, as noble does from bytes', async () => {
    const dir = await tempDir();
    const data = new Uint8Array(5 * (1 << 20) + 12345).map((_, i) => (i * 7 + (i >> 11)) & 255);
    await writeFile(join(dir, 'big.bin'), data);
    const file = await (await NodeDirSink.open(dir)).open('big.bin');
    const blockSize = 1 << 17;
    const expected = await new NobleHasher().hashBlocks(file, blockSize);
    expect(await make().hashBlocks(file, blockSize)).toEqual(expected);
  });

  it('refuses a file that changed since it was opened', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'big.bin'), new Uint8Array(3 << 20));
    const file = await (await NodeDirSink.open(dir)).open('big.bin');
    await writeFile(join(dir, 'big.bin'), new Uint8Array(3 << 20).fill(1)); // same size and inode, newer mtime…
    await utimes(join(dir, 'big.bin'), new Date(), new Date(file.mtime + 5000)); // …made certain to differ
    await expect(make().hashBlocks(file, 1 << 17)).rejects.toMatchObject({ code: 'changed' });
  });

  it('hashes files past 64 KiB in batches in a worker and smaller ones here, as noble does, keeping the small ones for a second read', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    const sizes = [1, 100, 4096, 70_000, 200_000]; // one past read-again's 64 KiB, one of two blocks
    for (const [i, size] of sizes.entries()) await writeFile(join(dir, `f${i}`), new Uint8Array(size).map((_, k) => (k * 13 + i) & 255));
    const files = await Promise.all(sizes.map((_, i) => sink.open(`f${i}`)));
    const hasher = make();
    await hasher.ready();
    keepReads(true);
    try {
      const got = await Promise.all(files.map((f) => hasher.hashBlocks(f, 1 << 17)));
      // The 4 KiB file's bytes were kept: taken once, for this very file only; not the 70,000-byte one.
      const file = files[2] as (typeof files)[number];
      expect(takeAgain(file.absPath, { ino: file.ino, size: file.size, mtime: file.mtime })).toEqual(new Uint8Array(4096).map((_, k) => (k * 13 + 2) & 255));
      expect(takeAgain(file.absPath, { ino: file.ino, size: file.size, mtime: file.mtime })).toBeNull();
      expect(takeAgain(files[3]!.absPath, { ino: files[3]!.ino, size: 70_000, mtime: files[3]!.mtime })).toBeNull();
      const noble = new NobleHasher();
      expect(got).toEqual(await Promise.all(files.map((f) => noble.hashBlocks(f, 1 << 17))));
    } finally {
      keepReads(false);
    }
  });

  // Where a file was read shows in its error: the worker names the absolute path it opened, this thread the source's own.
  const changedPath = async (hasher: NodeHasher, size: number) => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    await writeFile(join(dir, 'b'), new Uint8Array(size));
    const b = await sink.open('b');
    await writeFile(join(dir, 'b'), new Uint8Array(size + 1));
    const error = await hasher.hashBlocks(b, 1 << 17).then(() => null, (e: { code?: string; path?: string }) => e);
    expect(error?.code).toBe('changed');
    return error?.path === 'b' ? 'here' : error?.path === b.absPath ? 'worker' : error?.path;
  };

  it('reads a file past 64 KiB here until its worker runs, in the worker from then on; a smaller one always here', async () => {
    const hasher = make(); // its worker is not running yet: starting one takes tens of milliseconds
    expect(await changedPath(hasher, 70_000)).toBe('here');
    await hasher.ready();
    expect(await changedPath(hasher, 70_000)).toBe('worker');
    expect(await changedPath(hasher, 4096)).toBe('here');
  });

  it('refuses, file by file, a small file that changed or vanished since it was opened, hashing the others of the batch', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    // Past 64 KiB, so that they go to the worker.
    for (const name of ['a', 'b', 'c']) await writeFile(join(dir, name), new Uint8Array(70_000).fill(name.charCodeAt(0)));
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => sink.open(n)));
    await writeFile(join(dir, 'b'), new Uint8Array(70_001));
    await rm(join(dir, 'c'));
    const hasher = make();
    await hasher.ready();
    const [ra, rb, rc] = await Promise.allSettled([a, b, c].map((f) => hasher.hashBlocks(f!, 1 << 17)));
    expect(ra).toMatchObject({ status: 'fulfilled', value: await new NobleHasher().hashBlocks(a!, 1 << 17) });
    expect(rb).toMatchObject({ status: 'rejected', reason: { code: 'changed', path: join(dir, 'b') } });
    expect(rc).toMatchObject({ status: 'rejected', reason: { code: 'not-found' } });
  });
});
