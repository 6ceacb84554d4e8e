/** Inventories as members exchange them: compact arrays (block hashes concatenated), validated on arrival. */
import * as v from 'valibot';
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import { comparePaths, isValidPath } from '../paths.ts';
import { blockCount, blockSizeFor } from '../inventory/blocks.ts';
import { isPeerPath, MAX_PEER_PATH } from '../own-folder.ts';

/** One source's inventory on the wire: `[code, id, rootKind, rootName, items, unreadable paths]`. */
export type WireItem =
  | [path: string]
  | [path: string, size: number, mtime: number, blockSize: number, blocks: string, hash: string]
  | [path: string, size: number, mtime: number, blockSize: number, blocks: string, hash: string, mode: number];

/** Largest file a peer may list: 16 TiB (ext4's and NTFS's usual limit), 2^20 blocks of 16 MiB. */
export const MAX_FILE_SIZE = 2 ** 44;
/** Items (files and directories) of all the sender's sources together. */
export const MAX_ITEMS = 2_000_000;
/** Code units of all item paths together: 2M items of 128 characters on average. */
export const MAX_PATH_CHARS = 256 * 1024 * 1024;
/** Unreadable paths of all the sender's sources together. */
export const MAX_UNREADABLE = 100_000;

const Hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const Path = v.pipe(v.string(), v.maxLength(MAX_PEER_PATH));
const Size = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_FILE_SIZE));
// Block sizes and block lists are checked in `checkFile`: a regex over the whole list would backtrack per block.
const Mode = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0o777));
export const WireItemSchema = v.union([
  v.strictTuple([Path]),
  v.strictTuple([Path, Size, v.number(), v.number(), v.string(), Hex64]),
  v.strictTuple([Path, Size, v.number(), v.number(), v.string(), Hex64, Mode]),
]);
const WireSource = v.strictTuple([
  v.pipe(v.string(), v.regex(/^[A-E][1-9][0-9]?$/)),
  v.pipe(v.string(), v.maxLength(128)),
  v.picklist(['file', 'directory']),
  v.pipe(v.string(), v.maxLength(255)),
  v.pipe(v.array(WireItemSchema), v.maxLength(MAX_ITEMS)),
  v.pipe(v.array(Path), v.maxLength(MAX_UNREADABLE)),
]);
/** What a member sends: its sources' inventories. */
export const WireInventories = v.pipe(v.array(WireSource), v.maxLength(64));

/** A member's inventory of one source with the source's stable id (profiles and the two-way base use it). */
export interface SharedInventory {
  id: string;
  inventory: Inventory;
}

/**
 * Compacts inventories for the wire: directories are `[path]`, files carry their block hashes as one string, and their
 * permission bits last when `modes` and the platform has them. A member from before these bits refuses such an item:
 * `modes` only when every receiver's profile names INVENTORY_MODES (core/protocol/mesh-messages.ts).
 */
export function encodeInventories(list: readonly SharedInventory[], modes = false): unknown {
  return list.map(({ id, inventory: inv }) => [inv.source, id, inv.rootKind, inv.rootName, inv.items.map((i) => wireItem(i, modes)), inv.errors.map((e) => e.path)]);
}

/** One item as it goes on the wire (see encodeInventories). */
export function wireItem(i: InventoryItem, modes: boolean): WireItem {
  if (i.kind === 'directory') return [i.path];
  const file: WireItem = [i.path, i.size, i.mtime, i.blockSize, i.blocks.join(''), i.hash];
  return modes && i.mode !== undefined ? [...file, i.mode] : file;
}

/**
 * A schema-checked wire item expanded, or null when it breaks a rule of decodeInventories that is the item's own: a
 * peer path, a block size the scheme picks for its size, exactly that many block hashes. (Order is the caller's.)
 */
export function expandItem(item: v.InferOutput<typeof WireItemSchema>): InventoryItem | null {
  const path = item[0];
  if (!isPeerPath(path)) return null;
  if (item.length === 1) return { kind: 'directory', path };
  const [, size, mtime, blockSize, joined, hash, mode] = item;
  if (blockSize !== blockSizeFor(size) || !isBlockList(joined, blockCount(size, blockSize))) return null;
  return { kind: 'file', path, size, mtime, ...(mode !== undefined ? { mode } : {}), blockSize, blocks: splitBlocks(joined), hash };
}

/** Whether `joined` is exactly `count` lowercase hex SHA-256 hashes: length first, then one pass over the characters. */
function isBlockList(joined: string, count: number): boolean {
  if (joined.length !== count * 64) return false;
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Splits a checked block list into its hashes. */
function splitBlocks(joined: string): string[] {
  const blocks = new Array<string>(joined.length / 64);
  for (let i = 0; i < blocks.length; i++) blocks[i] = joined.slice(i * 64, i * 64 + 64);
  return blocks;
}

/**
 * Validates and expands what `from` sent. Every source code must carry the sender's letter (only the owner speaks for
 * its sources); every item path must be a peer path (own-folder.ts: valid, and never Quintet's own folder under any
 * spelling), strictly increasing as the walk sorts them (so no path is listed twice); a file's block size must be the
 * one the scheme picks for its size (blocks.ts, as every index is made) and its block list exactly that many hashes;
 * items and path characters of all sources together stay within MAX_ITEMS and MAX_PATH_CHARS. Anything else refuses
 * the whole message (the caller says so: `inventory-refused`).
 */
export function decodeInventories(value: unknown, letter: string, takenAt: number): SharedInventory[] | null {
  const parsed = v.safeParse(WireInventories, value);
  if (!parsed.success) return null;
  const out: SharedInventory[] = [];
  let itemCount = 0;
  let pathChars = 0;
  let unreadableCount = 0;
  for (const [code, id, rootKind, rootName, items, unreadable] of parsed.output) {
    if (code[0] !== letter) return null;
    itemCount += items.length;
    unreadableCount += unreadable.length;
    if (itemCount > MAX_ITEMS || unreadableCount > MAX_UNREADABLE) return null;
    if (!unreadable.every(isValidPath)) return null;
    const expanded: InventoryItem[] = [];
    let previous = '';
    for (const item of items) {
      const path = item[0];
      pathChars += path.length;
      if (pathChars > MAX_PATH_CHARS || comparePaths(previous, path) >= 0) return null;
      previous = path;
      const one = expandItem(item);
      if (!one) return null;
      expanded.push(one);
    }
    out.push(peerInventory(code, id, rootKind, rootName, expanded, unreadable, takenAt));
  }
  return out;
}

/** A peer's source as a receiver holds it (its stats are the sender's own business). */
export function peerInventory(code: string, id: string, rootKind: 'file' | 'directory', rootName: string, items: InventoryItem[], unreadable: readonly string[], takenAt: number): SharedInventory {
  return {
    id,
    inventory: {
      source: code, rootKind, rootName, items,
      errors: unreadable.map((p) => ({ path: p, code: 'io' as const, message: 'unreadable on its member' })),
      stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 },
      takenAt,
    },
  };
}
