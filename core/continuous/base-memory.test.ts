import { describe, expect, it } from 'vitest';
import { BaseMemory } from './base-memory.ts';
import type { SharedInventory } from '../transfer/compact-inventory.ts';
import type { ItemState } from '../base/base-types.ts';

const inv = (source: string, id: string) => ({ id, inventory: { source } }) as unknown as SharedInventory;
const state = { kind: 'file', hash: 'h' } as unknown as ItemState;

describe('BaseMemory', () => {
  it('carries a base over to another profile by source id, under the new codes', () => {
    const m = new BaseMemory();
    expect(m.inherited([inv('A1', 'x')])).toBeNull();
    m.remember({ A1: new Map([['f', state]]), B1: new Map() }, [inv('A1', 'x'), inv('B1', 'y')]);
    // B left, C came with another folder; A's folder is now compared as A1 still, y is gone.
    expect(m.inherited([inv('A1', 'x'), inv('B1', 'z')])).toEqual({ A1: new Map([['f', state]]) });
    expect(m.inherited([inv('B1', 'z')])).toBeNull();
    m.forget();
    expect(m.inherited([inv('A1', 'x')])).toBeNull();
  });
});
