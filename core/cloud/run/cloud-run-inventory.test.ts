import { describe, expect, it } from 'vitest';
import { inventoryOwn, type OwnInventoryProgress } from './cloud-run-inventory.ts';
import { MemFs } from '../../testing/memfs.ts';
import { MemoryStore } from '../../testing/memory-store.ts';
import { NobleHasher } from '../../testing/noble-hasher.ts';
import { SteppingClock } from '../../testing/manual-clock.ts';
import { DEFAULT_SETTINGS } from '../../settings/settings.ts';

const tree = (count: number, prefix: string) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}.txt`, 'abcd']));

describe('inventoryOwn progress', () => {
  it('sums the hashing of every own source once all their walks are over, with the file at hand', async () => {
    const events: OwnInventoryProgress[] = [];
    await inventoryOwn({
      own: [{ source: MemFs.from(tree(200, 'a')), id: 'one' }, { source: MemFs.from(tree(100, 'b')), id: 'two' }],
      letter: 'B', settings: { ...DEFAULT_SETTINGS, exclusionPatterns: [] }, hasher: new NobleHasher(), store: new MemoryStore(),
      clock: new SteppingClock(0, 1), signal: { aborted: false }, onProgress: (p) => events.push({ ...p }),
    });
    const hashing = events.filter((e) => e.hashing);
    expect(hashing.length).toBeGreaterThan(1);
    // Totals only when both walks are known: 300 files of 4 bytes.
    for (const e of hashing) expect(e.hashing).toMatchObject({ filesTotal: 300, bytesTotal: 1200 });
    expect(hashing.some((e) => !e.done && e.hashing!.files > 0 && e.hashing!.files < 300)).toBe(true);
    expect(hashing.filter((e) => !e.done).every((e) => /^B[12]\/[ab]\d+\.txt$/.test(e.current ?? ''))).toBe(true);
    expect(events.at(-1)).toMatchObject({ done: true, files: 300, hashing: { files: 300, filesTotal: 300, bytes: 1200, bytesTotal: 1200 } });
    expect(events.at(-1)?.current).toBeUndefined();
  });
});
