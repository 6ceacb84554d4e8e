import { describe, expect, it } from 'vitest';
import { BlobFile } from './blob-file.ts';
import { FsError } from '../../core/errors.ts';

function bytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 255;
  }
  return out;
}

/** Counts Blob.slice calls of the file (each one is a call to the browser process in Chrome). */
function counted(data: Uint8Array<ArrayBuffer>): { file: File; slices: () => number } {
  const file = new File([data], 'f.bin', { lastModified: 1 });
  let n = 0;
  const slice = file.slice.bind(file);
  file.slice = (...args: Parameters<Blob['slice']>) => (n++, slice(...args));
  return { file, slices: () => n };
}

describe('BlobFile reads (windows for in-order passes)', () => {
  const MiB = 1024 * 1024;

  it('a file read block by block in order gives its bytes, with one slice per 8 MiB window instead of one per block', async () => {
    const data = bytes(20 * MiB + 12_345, 7);
    const { file, slices } = counted(data);
    const blob = new BlobFile(file, 'f.bin');
    const block = 256 * 1024;
    const parts: Uint8Array[] = [];
    for (let off = 0; off < data.length; off += block) parts.push(await blob.read(off, Math.min(block, data.length - off)));
    const joined = new Uint8Array(data.length);
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    expect(at).toBe(data.length);
    expect(Buffer.from(joined).equals(Buffer.from(data))).toBe(true);
    // Block 0 alone, then windows at 256 KiB, 8.25 MiB, 16.25 MiB (the last read ahead): 4, against 82 blocks.
    expect(slices()).toBeLessThanOrEqual(5);
  });

  it('reads out of order, past a window and past the end answer as slice() would', async () => {
    const data = bytes(3 * MiB, 9);
    const blob = new BlobFile(new File([data], 'g.bin'), 'g.bin');
    const want = (from: number, to: number) => Buffer.from(data.subarray(from, Math.min(to, data.length)));
    expect(Buffer.from(await blob.read(1000, 10)).equals(want(1000, 1010))).toBe(true);
    expect(Buffer.from(await blob.read(1010, 100_000)).equals(want(1010, 101_010))).toBe(true); // in order: a window
    expect(Buffer.from(await blob.read(5, 3)).equals(want(5, 8))).toBe(true); // back again
    expect(Buffer.from(await blob.read(101_010, 200)).equals(want(101_010, 101_210))).toBe(true);
    expect(Buffer.from(await blob.read(3 * MiB - 100, 1000)).equals(want(3 * MiB - 100, 3 * MiB))).toBe(true);
    expect(Buffer.from(await blob.read(0, 3 * MiB)).equals(want(0, 3 * MiB))).toBe(true);
  });

  it('the whole file comes from the bytes kept for it, with no read', async () => {
    const data = bytes(4096, 3);
    const { file, slices } = counted(data);
    const kept = data.slice();
    const blob = new BlobFile(file, 'h.txt', kept);
    expect(await blob.read(0, 4096)).toBe(kept);
    expect(slices()).toBe(0);
  });

  it('a snapshot that can no longer be read fails with an FsError for the path', async () => {
    const file = new File([bytes(16, 1)], 'x');
    file.arrayBuffer = () => Promise.reject(Object.assign(new Error('changed'), { name: 'NotReadableError' }));
    await expect(new BlobFile(file, 'x.txt').read(0, 16)).rejects.toMatchObject({ code: 'changed', path: 'x.txt' } satisfies Partial<FsError>);
  });
});

describe('BlobFile shared by interleaved passes (a block server serving two requests of one file side by side)', () => {
  const MiB = 1024 * 1024;

  it('reads each byte about once, from windows, whichever pass reads next', async () => {
    const data = bytes(16 * MiB, 11);
    const { file, slices } = counted(data);
    const sliced: number[] = [];
    const slice = file.slice;
    file.slice = (start?: number, end?: number) => (sliced.push((end ?? data.length) - (start ?? 0)), slice(start, end));
    const blob = new BlobFile(file, 'f.bin');
    const block = 256 * 1024;
    // Requests of 4 blocks, two at a time, their blocks read alternately.
    for (let req = 0; req < 16; req += 2) {
      for (let k = 0; k < 4; k++) {
        for (const r of [req, req + 1]) {
          const off = (r * 4 + k) * block;
          expect(Buffer.from(await blob.read(off, block)).equals(Buffer.from(data.subarray(off, off + block)))).toBe(true);
        }
      }
    }
    expect(slices()).toBeLessThanOrEqual(6);
    expect(sliced.reduce((s, n) => s + n, 0)).toBeLessThanOrEqual(data.length + 2 * block);
  });
});
