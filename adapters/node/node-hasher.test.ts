import { afterAll, describe, expect, it } from 'vitest';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasherContract } from '../../core/testing/hasher-contract.ts';
import { NobleHasher } from '../../core/testing/noble-hasher.ts';
import { NodeHasher } from './node-hasher.ts';
import { NodeDirSink } from './node-dir-sink.ts';
import { removeTempDirs, tempDir } from './temp-tree.ts';

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
});
