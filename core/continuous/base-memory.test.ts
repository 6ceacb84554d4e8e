import { describe, expect, it } from 'vitest';
import { BaseMemory, LAST_BASE_KEY } from './base-memory.ts';
import type { SharedInventory } from '../transfer/compact-inventory.ts';
import type { ItemState } from '../base/base-types.ts';
import { BaseStore } from '../base/base-store.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import type { Comparison } from '../compare/types.ts';

const inv = (source: string, id: string) => ({ id, inventory: { source } }) as unknown as SharedInventory;
const state = { kind: 'file', hash: 'h' } as unknown as ItemState;

describe('BaseMemory', () => {
  it('carries a base over to another profile by source id, under the new codes', async () => {
    const m = new BaseMemory();
    expect(await m.inherited([inv('A1', 'x')])).toBeNull();
    m.remember({ A1: new Map([['f', state]]), B1: new Map() }, [inv('A1', 'x'), inv('B1', 'y')]);
    // B left, C came with another folder; A's folder is now compared as A1 still, y is gone.
    expect(await m.inherited([inv('A1', 'x'), inv('B1', 'z')])).toEqual({ A1: new Map([['f', state]]) });
    expect(await m.inherited([inv('B1', 'z')])).toBeNull();
    m.forget();
    expect(await m.inherited([inv('A1', 'x')])).toBeNull();
  });

  it('after a reload, finds the last stored base the store names (not one only inherited), until an undo forgets it', async () => {
    const store = new MemoryStore();
    const all = [inv('A1', 'x'), inv('B1', 'y')];
    const profile = new BaseStore(store, new Map([['A1', 'x'], ['B1', 'y']]));
    const comparison = { sources: ['A1', 'B1'], rows: [] } as unknown as Comparison;
    const recorded = await profile.record(comparison, [], { A1: new Map([['f', state]]), B1: new Map([['f', state]]) });
    const before = new BaseMemory(store);
    before.remember(recorded, all, true);
    await until(async () => (await store.get(LAST_BASE_KEY)) !== undefined);
    // A base only inherited (another profile, nothing stored under it) does not move the pointer.
    before.remember({ A1: new Map() }, [inv('A1', 'x'), inv('C1', 'w')], false);

    const reloaded = new BaseMemory(store);
    expect(await reloaded.inherited([inv('A1', 'x'), inv('C1', 'w')])).toEqual({ A1: recorded.A1 });
    reloaded.forget();
    await until(async () => (await store.get(LAST_BASE_KEY)) === undefined);
    expect(await new BaseMemory(store).inherited([inv('A1', 'x')])).toBeNull();
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 1));
  expect(await check()).toBe(true);
}
