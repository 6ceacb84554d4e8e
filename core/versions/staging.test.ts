import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { findStaged, removeStaged } from './staging.ts';

describe('staged leftovers', () => {
  it('counts the files directly in .quintet/tmp/ and removes only those found, unchanged since', async () => {
    const sink = MemFs.from({
      'keep.txt': 'the user’s file',
      tmp: { 'x.tmp': 'not ours: outside .quintet' },
      '.quintet': { tmp: { 'a.txt': 'aaaa', 'b.bin': 'bb', 'live.txt': 'c', sub: { 'd.txt': 'ddd' } }, versions: { r: { 'old.txt': 'old' } } },
    });
    const found = await findStaged(sink);
    expect(found.files.map((f) => f.name).sort()).toEqual(['a.txt', 'b.bin', 'live.txt']);
    expect(found.bytes).toBe(7);
    // Another writer is still at work on live.txt: changed since it was counted, it stays.
    sink.writeFile('.quintet/tmp/live.txt', 'cc', 1);
    const left = await removeStaged(sink, found);
    expect(left).toEqual({ files: [{ name: 'live.txt', size: 2, mtime: 1 }], bytes: 2 });
    expect(Object.entries(sink.snapshot()).filter(([, v]) => v !== null).map(([p]) => p).sort()).toEqual(['.quintet/tmp/live.txt', '.quintet/tmp/sub/d.txt', '.quintet/versions/r/old.txt', 'keep.txt', 'tmp/x.tmp']);
  });

  it('finds nothing where there is no .quintet/tmp/', async () => {
    expect(await findStaged(MemFs.from({ a: 'x' }))).toEqual({ files: [], bytes: 0 });
  });
});
