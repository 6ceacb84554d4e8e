import { describe, expect, it } from 'vitest';
import { InventorySender } from './inventory-sender.ts';
import type { SharedInventory } from '../../transfer/compact-inventory.ts';

const H = 'ab'.repeat(32);
const list = (...paths: string[]): SharedInventory[] => [{ id: 'id-a1', inventory: { source: 'A1', rootKind: 'directory', rootName: 'a', items: paths.map((path) => ({ kind: 'file', path, size: 1, mtime: 0, blockSize: 131072, blocks: [H], hash: H })), errors: [], stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0 } }];
const o = { modes: false, roster: 'a,b', delta: true };

describe('InventorySender', () => {
  it('sends whole first, then deltas to the same roster; whole again for another roster, other modes, a reset, or a round by hand', () => {
    const s = new InventorySender();
    expect(s.next('r1', list('x'), o).type).toBe('inventory-part');
    expect(s.next('r2', list('x', 'y'), o)).toMatchObject({ type: 'inventory-delta-part', value: { base: 'r1' } });
    expect(s.next('r3', list('x', 'y'), { ...o, roster: 'a,b,c' }).type).toBe('inventory-part');
    expect(s.next('r4', list('x', 'y'), { ...o, roster: 'a,b,c', modes: true }).type).toBe('inventory-part');
    expect(s.next('r5', list('x'), { ...o, roster: 'a,b,c', modes: true })).toMatchObject({ type: 'inventory-delta-part', value: { base: 'r4' } });
    s.reset();
    expect(s.next('r6', list('x'), o).type).toBe('inventory-part');
    expect(s.next('r7', list('x'), { ...o, delta: false }).type).toBe('inventory-part');
    expect(s.counts).toEqual({ deltas: 2, whole: 5, onRequest: 0 });
  });

  it('answers inventory-full once per peer for the round it last sent, never for another', () => {
    const s = new InventorySender();
    s.next('r1', list('x'), o);
    s.next('r2', list('x', 'y'), o);
    expect(s.fullFor('b', 'r1')).toBeNull();
    expect(s.fullFor('b', 'r2')).toEqual([['A1', 'id-a1', 'directory', 'a', [['x', 1, 0, 131072, H, H], ['y', 1, 0, 131072, H, H]], []]]);
    expect(s.fullFor('b', 'r2')).toBeNull();
    expect(s.fullFor('c', 'r2')).not.toBeNull();
    expect(s.counts.onRequest).toBe(2);
  });
});
