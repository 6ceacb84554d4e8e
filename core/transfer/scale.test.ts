import { describe, expect, it } from 'vitest';
import { MemFs, type TreeSpec } from '../testing/memfs.ts';
import { harness } from '../testing/harness.ts';
import { recordWritten } from '../inventory/index-cache.ts';

// 20,000 small files (issue 2's corpus) go through inventory, plan, apply and re-inventory; their speed is bench/engine's.
describe('scale', () => {
  it('inventories, mirrors and re-inventories 20,000 small files', async () => {
    const tree: TreeSpec = {};
    for (let d = 0; d < 100; d++) {
      const dir: TreeSpec = {};
      for (let f = 0; f < 200; f++) dir[`f${f}.txt`] = `file ${d}/${f}`;
      tree[`d${d}`] = dir;
    }
    const h = harness(MemFs.from(tree), new MemFs());
    const plan = await h.plan();
    expect(plan.summary).toMatchObject({ copies: 20_000, directories: 100 });
    const result = await h.apply(plan);
    expect(result.failures).toEqual([]);
    expect(result.written).toHaveLength(20_000);
    await recordWritten(h.store, 'y', result.written ?? []);
    const [x, y] = await h.inventories();
    expect([x.stats.hashedBytes, y.stats.hashedBytes, y.stats.indexedFiles]).toEqual([0, 0, 20_000]);
  }, 60_000);
});
