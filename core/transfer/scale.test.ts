import { describe, expect, it } from 'vitest';
import { MemFs, type TreeSpec } from '../testing/memfs.ts';
import { harness } from '../testing/harness.ts';
import { recordWritten } from '../inventory/index-cache.ts';

// 20,000 small files (issue 2's corpus): nothing in inventory, plan or apply may be quadratic.
describe('scale', () => {
  it('inventories, mirrors and re-inventories 20,000 small files', async () => {
    const tree: TreeSpec = {};
    for (let d = 0; d < 100; d++) {
      const dir: TreeSpec = {};
      for (let f = 0; f < 200; f++) dir[`f${f}.txt`] = `file ${d}/${f}`;
      tree[`d${d}`] = dir;
    }
    const h = harness(MemFs.from(tree), new MemFs());
    const t0 = performance.now();
    const plan = await h.plan();
    const t1 = performance.now();
    expect(plan.summary).toMatchObject({ copies: 20_000, directories: 100 });
    const result = await h.apply(plan);
    const t2 = performance.now();
    expect(result.failures).toEqual([]);
    expect(result.written).toHaveLength(20_000);
    expect(t2 - t0).toBeLessThan(20_000);
    await recordWritten(h.store, 'y', result.written ?? []);
    const [x, y] = await h.inventories();
    expect([x.stats.hashedBytes, y.stats.hashedBytes, y.stats.indexedFiles]).toEqual([0, 0, 20_000]);
    expect(t1 - t0).toBeGreaterThan(0);
  }, 60_000);
});
