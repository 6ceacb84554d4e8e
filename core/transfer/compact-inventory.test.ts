/** Inventories on the wire with and without permission bits: what a member from before them sends and refuses. */
import { describe, expect, it } from 'vitest';
import { decodeInventories, encodeInventories, type SharedInventory } from './compact-inventory.ts';
import type { Inventory } from '../inventory/types.ts';

const H = 'a'.repeat(64);
const inventory = (mode?: number): SharedInventory => ({
  id: 'src-1',
  inventory: {
    source: 'B1', rootKind: 'directory', rootName: 'b', errors: [], takenAt: 0,
    stats: { files: 1, directories: 1, bytes: 3, hashedFiles: 1, hashedBytes: 3, indexedFiles: 0, excluded: 0 },
    items: [
      { kind: 'directory', path: 'd' },
      { kind: 'file', path: 'd/run.sh', size: 3, mtime: 1_500_000_000_123, ...(mode !== undefined ? { mode } : {}), blockSize: 131_072, blocks: [H], hash: H },
    ],
  } satisfies Inventory,
});
/** What a decoder makes of the wire form (through JSON, as it travels). */
const roundTrip = (value: unknown) => decodeInventories(JSON.parse(JSON.stringify(value)), 'B', 0);
const fileOf = (list: SharedInventory[] | null) => list?.[0]?.inventory.items[1];

describe('compact inventories and permission bits', () => {
  it('carry a file\'s mode only when asked (every receiver reads it), and it comes back', () => {
    expect(JSON.stringify(encodeInventories([inventory(0o755)]))).not.toContain(String(0o755));
    expect(fileOf(roundTrip(encodeInventories([inventory(0o755)])))).not.toHaveProperty('mode');
    expect(fileOf(roundTrip(encodeInventories([inventory(0o755)], true)))).toMatchObject({ path: 'd/run.sh', mtime: 1_500_000_000_123, mode: 0o755 });
  });

  it('a file without mode (a browser\'s) goes as before, with or without the option', () => {
    const wire = encodeInventories([inventory()], true) as unknown[][];
    expect((wire[0]?.[4] as unknown[][])[1]).toHaveLength(6);
    expect(fileOf(roundTrip(wire))).not.toHaveProperty('mode');
  });

  it('refuses bits beyond rwx and anything but a small integer there', () => {
    for (const bad of [0o1000, 0o4755, -1, 1.5, '755']) {
      const wire = encodeInventories([inventory(0o644)], true) as unknown[][];
      ((wire[0]?.[4] as unknown[][])[1] as unknown[])[6] = bad;
      expect(roundTrip(wire), String(bad)).toBeNull();
    }
  });
});
