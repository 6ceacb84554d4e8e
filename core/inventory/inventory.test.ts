import { describe, expect, it } from 'vitest';
import { runInventory, type InventoryOptions } from './inventory.ts';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { indexStored } from './index-cache.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock, SteppingClock } from '../testing/manual-clock.ts';
import { recordWritten } from './index-cache.ts';
import { patternBytes } from '../testing/bytes.ts';
import type { InventoryProgress } from './types.ts';

function setup(fs: MemFs) {
  const store = new MemoryStore();
  const clock = new ManualClock();
  const hasher = new NobleHasher();
  const run = (extra: Partial<InventoryOptions> = {}) =>
    runInventory({ source: fs, sourceCode: 'A1', sourceId: 'id-1', hasher, store, clock, ...extra });
  return { store, clock, hasher, run };
}

describe('runInventory', () => {
  it('lists items sorted, parents first, with exact stats', async () => {
    const fs = MemFs.from({ b: { 'x.txt': 'xx', empty: {} }, 'a.txt': 'a', 'b-c': '', '.DS_Store': 'junk' });
    const inv = await setup(fs).run();
    expect(inv.items.map((i) => i.path)).toEqual(['a.txt', 'b', 'b-c', 'b/empty', 'b/x.txt']);
    expect(inv.stats).toEqual({ files: 3, directories: 2, bytes: 3, hashedFiles: 3, hashedBytes: 3, indexedFiles: 0, excluded: 1 });
    expect(inv).toMatchObject({ source: 'A1', rootKind: 'directory', errors: [] });
  });

  it('hashes nothing the second time; re-hashes a touched file; checksum re-hashes all', async () => {
    const fs = MemFs.from({ a: 'one', d: { b: patternBytes(300_000) } });
    const { run } = setup(fs);
    const first = await run();
    expect(first.stats.hashedBytes).toBe(300_003);
    const second = await run();
    expect(second.stats).toMatchObject({ hashedBytes: 0, hashedFiles: 0, indexedFiles: 2 });
    expect(second.items).toEqual(first.items);
    fs.setMtime('a', 5);
    const third = await run();
    expect(third.stats).toMatchObject({ hashedBytes: 3, hashedFiles: 1, indexedFiles: 1 });
    const sum = await run({ checksum: true });
    expect(sum.stats).toMatchObject({ hashedBytes: 300_003, indexedFiles: 0 });
  });

  it('keeps only present files in the index and trusts recorded writes', async () => {
    const fs = MemFs.from({ a: '1', b: '2' });
    const { run, store } = setup(fs);
    await run();
    fs.delete('b');
    await run();
    await indexStored(store, 'id-1');
    expect((await store.get<{ entries: unknown[] }>('index/id-1'))?.entries).toHaveLength(1);
    fs.writeFile('c', 'new', 42);
    const { blocks, hash, blockSize } = (await setup(MemFs.from({ c: 'new' })).run()).items[0] as { blocks: string[]; hash: string; blockSize: number };
    await recordWritten(store, 'id-1', [{ path: 'c', size: 3, mtime: 42, blockSize, blocks, hash }]);
    expect((await run()).stats.hashedBytes).toBe(0);
  });

  it('writes the index only when it changed, or when its last write failed', async () => {
    const fs = MemFs.from({ a: '1', b: '2' });
    const { run, store } = setup(fs);
    await run();
    expect(store.writes).toBe(1);
    expect((await run()).stats.indexedFiles).toBe(2);
    expect(store.writes).toBe(1);
    fs.setMtime('a', 7);
    const set = store.set.bind(store);
    store.set = async () => {
      store.writes++;
      throw new Error('disk full');
    };
    await expect(run()).rejects.toThrow('disk full');
    store.set = set;
    // Nothing changed since the failed write, but the store lacks it: written now.
    expect((await run()).stats.hashedFiles).toBe(0);
    expect(store.writes).toBe(3);
    const stored = await store.get<{ entries: Array<[string, { mtime: number }]> }>('index/id-1');
    expect(new Map(stored?.entries).get('a')?.mtime).toBe(7);
  });

  it('hashes again a file whose index entry has another block size than the scheme picks (peers would refuse it)', async () => {
    const fs = MemFs.from({ c: 'new' });
    const { run, store } = setup(fs);
    const { blocks, hash, mtime } = (await run()).items[0] as { blocks: string[]; hash: string; mtime: number };
    await recordWritten(store, 'id-1', [{ path: 'c', size: 3, mtime, blockSize: 1024 * 1024, blocks, hash }]);
    const again = await run();
    expect(again.stats.hashedFiles).toBe(1);
    expect(again.items[0]).toMatchObject({ blockSize: 128 * 1024 });
  });

  it('records a file that vanished before hashing and goes on', async () => {
    const fs = MemFs.from({ a: '1', b: '2' });
    fs.failNext('open', 'a', 'not-found');
    const inv = await setup(fs).run();
    expect(inv.items.map((i) => i.path)).toEqual(['b']);
    expect(inv.errors).toEqual([expect.objectContaining({ path: 'a', code: 'not-found' })]);
    expect(inv.stats).toMatchObject({ files: 1, bytes: 1 });
  });

  it('hashes a file as soon as the walk finds it, before the walk is over', async () => {
    const fs = MemFs.from({ early: { x: 'data' }, late: { y: 'more' } });
    const reads: string[] = [];
    fs.onBeforeRead = (path) => void reads.push(path);
    const list = fs.list.bind(fs);
    let readBeforeLateListing: boolean | undefined;
    fs.list = async (path) => {
      if (path === 'late') {
        // One turn of the event loop: every pending promise of the walk and of the hashing settles meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 0));
        readBeforeLateListing = reads.includes('early/x');
      }
      return list(path);
    };
    const inv = await setup(fs).run();
    expect(readBeforeLateListing).toBe(true);
    expect(inv.stats).toMatchObject({ files: 2, bytes: 8, hashedFiles: 2, hashedBytes: 8 });
  });

  it('counts a file that failed to hash during the walk once, and only once', async () => {
    const tree: Record<string, Record<string, string>> = {};
    for (let d = 0; d < 20; d++) tree[`d${d}`] = { a: '12', b: '345' };
    const fs = MemFs.from(tree);
    fs.failNext('open', 'd0/a', 'not-found');
    const inv = await setup(fs).run();
    expect(inv.errors).toEqual([expect.objectContaining({ path: 'd0/a', code: 'not-found' })]);
    expect(inv.stats).toMatchObject({ files: 39, bytes: 98, hashedFiles: 39, hashedBytes: 98, directories: 20 });
  });

  it('throttles progress on the clock and ends with done', async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 500; i++) tree[`f${i}`] = 'x';
    const events: InventoryProgress[] = [];
    const clock = new SteppingClock(0, 1); // 1 ms per reading
    await runInventory({ source: MemFs.from(tree), sourceCode: 'A1', sourceId: 'i', hasher: new NobleHasher(), store: new MemoryStore(), clock, onProgress: (p) => events.push(p) });
    expect(events.length).toBeLessThan(40);
    expect(events.at(-1)).toMatchObject({ done: true, files: 500, bytes: 500, hashedBytes: 500 });
    expect(events.filter((e) => e.done)).toHaveLength(1);
  });

  it('says what is left to hash once the walk is over, and the file being hashed', async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 300; i++) tree[`d/f${String(i).padStart(3, '0')}`] = 'xy';
    const fs = MemFs.from(tree);
    const events: InventoryProgress[] = [];
    const { run } = setup(fs);
    await run({ clock: new SteppingClock(0, 1), onProgress: (p) => events.push({ ...p }) });
    // During the walk nothing is known of the hashing; after it every report carries the same totals.
    const hashing = events.filter((e) => e.toHash);
    expect(events.some((e) => !e.toHash && !e.done)).toBe(true);
    expect(hashing.length).toBeGreaterThan(2);
    for (const e of hashing) expect(e.toHash).toEqual({ files: 300, bytes: 600 });
    const mid = hashing.filter((e) => !e.done);
    expect(mid.some((e) => (e.hashedFiles ?? 0) > 0 && (e.hashedFiles ?? 0) < 300)).toBe(true);
    expect(mid.filter((e) => e.hashedFiles).every((e) => /^d\/f\d{3}$/.test(e.current ?? ''))).toBe(true);
    expect(events.at(-1)).toMatchObject({ done: true, hashedFiles: 300, hashedBytes: 600 });
    expect(events.at(-1)?.current).toBeUndefined();

    // A second pass finds everything in the index: nothing left to hash.
    const again: InventoryProgress[] = [];
    await run({ clock: new SteppingClock(0, 1), onProgress: (p) => again.push({ ...p }) });
    expect(again.at(-1)).toMatchObject({ done: true, toHash: { files: 0, bytes: 0 }, hashedFiles: 0 });
  });

  it('is cancellable', async () => {
    const signal = { aborted: false };
    const fs = MemFs.from({ a: '1', b: '2' });
    fs.onBeforeRead = () => { signal.aborted = true; };
    await expect(setup(fs).run({ signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('inventories a single-file source under its own name', async () => {
    const inv = await setup(MemFs.file('notes.txt', 'hello')).run();
    expect(inv).toMatchObject({ rootKind: 'file', rootName: 'notes.txt', items: [{ kind: 'file', path: 'notes.txt', size: 5 }] });
  });
});
