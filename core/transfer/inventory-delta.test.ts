import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyInventoryDelta, inventoryDelta, inventoryDigest, type DeltaBase } from './inventory-delta.ts';
import { decodeInventories, encodeInventories, type SharedInventory } from './compact-inventory.ts';
import type { InventoryItem } from '../inventory/types.ts';
import { comparePaths } from '../paths.ts';

const H = (n: number) => n.toString(16).padStart(64, '0');
const file = (path: string, n: number, mode?: number): InventoryItem => ({ kind: 'file', path, size: 10, mtime: n, blockSize: 128 * 1024, blocks: [H(n)], hash: H(n + 1), ...(mode !== undefined ? { mode } : {}) });
const dir = (path: string): InventoryItem => ({ kind: 'directory', path });
const source = (code: string, items: InventoryItem[], errors: string[] = []): SharedInventory => ({
  id: `id-${code}`,
  inventory: { source: code, rootKind: 'directory', rootName: code, items: [...items].sort((x, y) => comparePaths(x.path, y.path)), errors: errors.map((path) => ({ path, code: 'io', message: '' })), stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0 },
});
/** What a receiver holds of `list` sent whole. */
const received = (list: SharedInventory[], modes = false) => decodeInventories(JSON.parse(JSON.stringify(encodeInventories(list, modes))), 'B', 0) as SharedInventory[];
const wired = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const shape = (list: readonly SharedInventory[]) => list.map((s) => ({ id: s.id, source: s.inventory.source, items: s.inventory.items, errors: s.inventory.errors.map((e) => e.path) }));

/** A random inventory: paths from a small alphabet (so edits collide), a file or a directory at each. */
const items = fc.uniqueArray(fc.record({ path: fc.stringMatching(/^[ab]{1,3}(\/[ab]{1,2})?$/), n: fc.integer({ min: 0, max: 3 }), kind: fc.boolean() }), { selector: (x) => x.path, maxLength: 30 })
  .map((xs) => xs.map(({ path, n, kind }) => (kind ? file(path, n, n % 2 ? 0o644 : undefined) : dir(path))));

describe('inventory deltas', () => {
  it('a delta applied to what a receiver holds gives exactly the whole inventories it would have received, digest included', () => {
    fc.assert(fc.property(items, items, items, fc.boolean(), (before1, after1, after2, modes) => {
      const previous = [source('B1', before1), source('B2', [])];
      const next = [source('B1', after1), source('B2', after2, after2.length > 0 ? ['x/unreadable'] : [])];
      const delta = inventoryDelta({ run: 'r1', list: previous }, next, modes);
      if (delta === null) return; // more than a quarter changed: the sender sends whole inventories
      const base: DeltaBase = { run: 'r1', list: received(previous, modes) };
      const outcome = applyInventoryDelta(base, wired(delta), 'B', 0);
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      const whole = received(next, modes);
      expect(shape(outcome.list)).toEqual(shape(whole));
      expect(outcome.digest).toBe(inventoryDigest(whole));
    }), { numRuns: 300 });
  });

  it('says only what changed: one edit in 1,000 files is one item; more than a quarter changed is no delta', () => {
    const many = Array.from({ length: 1000 }, (_, i) => file(`f${String(i).padStart(4, '0')}`, i));
    const edited = many.map((x, i) => (i === 500 ? file(x.path, 9999) : x));
    const delta = inventoryDelta({ run: 'r1', list: [source('B1', many)] }, [source('B1', edited.filter((_, i) => i !== 7))], false);
    expect(delta?.sources[0]?.[4]).toEqual(['f0007']);
    expect(delta?.sources[0]?.[5].map((x) => x[0])).toEqual(['f0500']);
    expect(inventoryDelta({ run: 'r1', list: [source('B1', many)] }, [source('B1', many.slice(0, 700))], false)).toBeNull();
  });

  it('a sender whose sources changed (another folder, a new name) sends whole inventories', () => {
    expect(inventoryDelta({ run: 'r1', list: [source('B1', [])] }, [source('B1', []), source('B2', [])], false)).toBeNull();
    const renamed = source('B1', []);
    renamed.inventory.rootName = 'other';
    expect(inventoryDelta({ run: 'r1', list: [source('B1', [])] }, [renamed], false)).toBeNull();
  });

  it('falls back (mismatch) when the receiver holds another round, nothing, or a copy whose digest differs', () => {
    const previous = [source('B1', [file('a', 1), file('b', 2)])];
    const delta = wired(inventoryDelta({ run: 'r1', list: previous }, [source('B1', [file('a', 1), file('b', 3)])], false));
    expect(applyInventoryDelta(undefined, delta, 'B', 0)).toMatchObject({ ok: false, mismatch: true, reason: 'unknown base' });
    expect(applyInventoryDelta({ run: 'r0', list: received(previous) }, delta, 'B', 0)).toMatchObject({ ok: false, mismatch: true, reason: 'unknown base' });
    // The receiver's copy is missing a file (a blob it refused, a bug): the digests tell.
    expect(applyInventoryDelta({ run: 'r1', list: received([source('B1', [file('a', 1)])]) }, delta, 'B', 0)).toMatchObject({ ok: false, mismatch: true, reason: 'base digest differs' });
    expect(applyInventoryDelta({ run: 'r1', list: received(previous) }, delta, 'B', 0)).toMatchObject({ ok: true });
  });
});
