import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { harness } from '../testing/harness.ts';
import { patternBytes, utf8 } from '../testing/bytes.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { FsError } from '../errors.ts';
import type { FileWriter } from '../ports.ts';

const Q = ['.quintet'];
/** A snapshot with each file's bytes as their SHA-256 (a failed comparison of 17 MiB arrays would print them whole). */
function digests(snapshot: Record<string, Uint8Array | null>): Promise<Record<string, string | null>> {
  const hasher = new NobleHasher();
  return Promise.all(Object.entries(snapshot).map(async ([k, v]) => [k, v && (await hasher.digest(v))] as const)).then(Object.fromEntries);
}
const MiB = 1024 * 1024;

/**
 * Gives a target's writers FileWriter.copyFrom, as the browser's OPFS writer has: each range is read from the source
 * file by the writer, written at its place, and answered with the SHA-256 of each block written. `ranges` records the
 * ranges asked; `refuse` makes copyFrom answer null (a file the writer cannot read).
 */
function readingWriters(sink: MemFs, options: { refuse?: boolean } = {}) {
  const hasher = new NobleHasher();
  const ranges: Array<[string, number, number]> = [];
  const createWriter = sink.createWriter.bind(sink);
  sink.createWriter = async (path) => {
    const writer = await createWriter(path);
    // MemFs writers append: ranges answered out of order are written in order.
    let chain = Promise.resolve();
    const copyFrom: FileWriter['copyFrom'] = (file, start, end, blockSize) => {
      if (options.refuse) return null;
      ranges.push([path, start, end]);
      const read = file.read(start, end - start);
      const done = chain.then(async () => {
        const bytes = await read;
        if (bytes.length !== end - start) throw new FsError('changed', path, 'short read');
        await writer.write(bytes);
        const hashes: string[] = [];
        for (let at = 0; at < bytes.length; at += blockSize) hashes.push(await hasher.digest(bytes.subarray(at, at + blockSize)));
        return hashes;
      });
      chain = done.then(() => undefined, () => undefined);
      return done;
    };
    return { ...writer, copyFrom };
  };
  return ranges;
}

describe('copies through a writer that reads the source itself (FileWriter.copyFrom)', () => {
  it('hands it the whole file in ranges of whole blocks and records the checked hashes', async () => {
    const big = patternBytes(17 * MiB + 5, 3);
    const h = harness(MemFs.from({ big, small: 'abc', empty: new Uint8Array(0) }), new MemFs());
    const ranges = readingWriters(h.y);
    const plan = await h.plan();
    const result = await h.apply(plan);
    expect(result.failures).toEqual([]);
    expect(await digests(h.y.snapshot({ exclude: Q }))).toEqual(await digests(h.x.snapshot()));
    expect(ranges.filter(([p]) => p === 'big').map(([, s, e]) => [s, e])).toEqual([[0, 8 * MiB], [8 * MiB, 16 * MiB], [16 * MiB, 17 * MiB + 5]]);
    expect(ranges.filter(([p]) => p === 'empty')).toEqual([]); // nothing to read: committed as is
    const planned = plan.actions.find((a) => a.type === 'copy' && a.path === 'big');
    expect(result.written?.find((w) => w.path === 'big')?.blocks).toEqual(planned?.type === 'copy' ? planned.blocks : null);
  });

  it('fails a file whose bytes changed since the inventory (same size and time) before its commit', async () => {
    const big = patternBytes(300_000, 7);
    const h = harness(MemFs.from({ a: 'abc', big }), MemFs.from({ big: 'before' }));
    readingWriters(h.y);
    const plan = await h.plan();
    h.x.writeFile('a', 'xyz', (await h.x.stat('a')).mtime);
    const other = big.slice();
    other[280_000] = other[280_000]! ^ 1; // third block only
    h.x.writeFile('big', other, (await h.x.stat('big')).mtime);
    const result = await h.apply(plan);
    expect(Object.fromEntries(result.failures.map((f) => [f.action.path, [f.code, f.message]]))).toEqual({
      a: ['changed', expect.stringContaining('block 0 hash')],
      big: ['changed', expect.stringContaining('block 2 hash')],
    });
    expect(h.y.snapshot({ exclude: Q })).toEqual({ big: utf8('before') });
  });

  it('fails a file edited while its ranges are read, leaving the target as it was', async () => {
    const big = patternBytes(20 * MiB, 5);
    const h = harness(MemFs.from({ big }), MemFs.from({ big: 'before' }));
    readingWriters(h.y);
    const plan = await h.plan();
    h.x.onBeforeRead = (path, offset) => {
      if (path === 'big' && offset > 0) h.x.writeFile('big', 'edited mid-copy');
    };
    const result = await h.apply(plan);
    expect(result.failures.map((f) => [f.action.path, f.code])).toEqual([['big', 'changed']]);
    expect(h.y.snapshot({ exclude: Q })).toEqual({ big: utf8('before') });
  });

  it('stops between ranges when cancelled (no range asked after it) and leaves the target as it was', async () => {
    const big = patternBytes(20 * MiB, 11);
    const h = harness(MemFs.from({ big }), MemFs.from({ big: 'before' }));
    const ranges = readingWriters(h.y);
    const plan = await h.plan();
    const signal = { aborted: false };
    h.x.onBeforeRead = (path, offset) => {
      if (path === 'big' && offset > 0) signal.aborted = true; // the second range is being read
    };
    const result = await h.apply(plan, { signal });
    expect(result.cancelled).toBe(true);
    expect(result.failures).toEqual([]);
    expect(ranges.map(([, s]) => s)).toEqual([0, 8 * MiB]); // no third range asked
    expect(h.y.snapshot({ exclude: Q })).toEqual({ big: utf8('before') });
  });

  it('reads and writes block by block when the writer cannot read that file', async () => {
    const big = patternBytes(300_000, 9);
    const h = harness(MemFs.from({ big }), new MemFs());
    const ranges = readingWriters(h.y, { refuse: true });
    const result = await h.apply(await h.plan());
    expect(result.failures).toEqual([]);
    expect(ranges).toEqual([]);
    expect(h.y.snapshot({ exclude: Q })).toEqual(h.x.snapshot());
  });
});
