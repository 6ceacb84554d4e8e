/** Inventories as members exchange them: compact arrays (block hashes concatenated), validated on arrival. */
import * as v from 'valibot';
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import { isValidPath } from '../paths.ts';
import { blockCount } from '../inventory/blocks.ts';

/** One source's inventory on the wire: `[code, id, rootKind, rootName, items, unreadable paths]`. */
type WireItem = [path: string] | [path: string, size: number, mtime: number, blockSize: number, blocks: string, hash: string];

const Hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const Int = v.pipe(v.number(), v.integer(), v.minValue(0));
const WireItemSchema = v.union([
  v.strictTuple([v.string()]),
  v.strictTuple([v.string(), Int, v.number(), v.pipe(Int, v.minValue(1)), v.pipe(v.string(), v.regex(/^(?:[0-9a-f]{64})*$/)), Hex64]),
]);
const WireSource = v.strictTuple([
  v.pipe(v.string(), v.regex(/^[A-E][1-9][0-9]?$/)),
  v.pipe(v.string(), v.maxLength(128)),
  v.picklist(['file', 'directory']),
  v.pipe(v.string(), v.maxLength(255)),
  v.pipe(v.array(WireItemSchema), v.maxLength(2_000_000)),
  v.pipe(v.array(v.string()), v.maxLength(100_000)),
]);
/** What a member sends: its sources' inventories. */
export const WireInventories = v.pipe(v.array(WireSource), v.maxLength(64));

/** A member's inventory of one source with the source's stable id (profiles and the two-way base use it). */
export interface SharedInventory {
  id: string;
  inventory: Inventory;
}

/** Compacts inventories for the wire: directories are `[path]`, files carry their block hashes as one string. */
export function encodeInventories(list: readonly SharedInventory[]): unknown {
  return list.map(({ id, inventory: inv }) => [
    inv.source, id, inv.rootKind, inv.rootName,
    inv.items.map((i): WireItem => (i.kind === 'directory' ? [i.path] : [i.path, i.size, i.mtime, i.blockSize, i.blocks.join(''), i.hash])),
    inv.errors.map((e) => e.path),
  ]);
}

/**
 * Validates and expands what `from` sent. Every source code must carry the sender's letter (only the owner speaks for
 * its sources), paths must be valid, block lists must fit their sizes; anything else refuses the whole message.
 */
export function decodeInventories(value: unknown, letter: string, takenAt: number): SharedInventory[] | null {
  const parsed = v.safeParse(WireInventories, value);
  if (!parsed.success) return null;
  const out: SharedInventory[] = [];
  for (const [code, id, rootKind, rootName, items, unreadable] of parsed.output) {
    if (code[0] !== letter) return null;
    const expanded: InventoryItem[] = [];
    for (const item of items) {
      const path = item[0];
      if (!isValidPath(path) || path === '') return null;
      if (item.length === 1) {
        expanded.push({ kind: 'directory', path });
        continue;
      }
      const [, size, mtime, blockSize, joined, hash] = item;
      const blocks = joined.match(/.{64}/g) ?? [];
      if (blocks.length !== blockCount(size, blockSize)) return null;
      expanded.push({ kind: 'file', path, size, mtime, blockSize, blocks, hash });
    }
    out.push({
      id,
      inventory: {
        source: code, rootKind, rootName, items: expanded,
        errors: unreadable.map((p) => ({ path: p, code: 'io' as const, message: 'unreadable on its member' })),
        stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 },
        takenAt,
      },
    });
  }
  return out;
}
