/**
 * Inventory deltas (docs/protocol.md §12): what changed in a member's inventories since the ones it sent in an earlier
 * round, made by the sender and applied by each receiver to the copy it kept, checked by a digest of the result.
 */
import * as v from 'valibot';
import type { InventoryItem } from '../inventory/types.ts';
import { comparePaths, isValidPath } from '../paths.ts';
import { MAX_PEER_PATH } from '../own-folder.ts';
import { expandItem, MAX_ITEMS, MAX_PATH_CHARS, MAX_UNREADABLE, peerInventory, wireItem, WireItemSchema, type SharedInventory, type WireItem } from './compact-inventory.ts';

/** A sender sends its whole inventories instead when more than this share of its items changed (a delta saves little). */
export const DELTA_MAX_SHARE = 0.25;

const Path = v.pipe(v.string(), v.maxLength(MAX_PEER_PATH));
const Digest = v.pipe(v.string(), v.regex(/^[0-9]{1,8}:[0-9a-f]{16}$/));
const DeltaSource = v.strictTuple([
  v.pipe(v.string(), v.regex(/^[A-E][1-9][0-9]?$/)),
  v.pipe(v.string(), v.maxLength(128)),
  v.picklist(['file', 'directory']),
  v.pipe(v.string(), v.maxLength(255)),
  /** Paths gone since the base, in path order. */
  v.pipe(v.array(Path), v.maxLength(MAX_ITEMS)),
  /** Items new or changed since the base, in path order. */
  v.pipe(v.array(WireItemSchema), v.maxLength(MAX_ITEMS)),
  /** Unreadable paths: the whole list, as in a full inventory. */
  v.pipe(v.array(Path), v.maxLength(MAX_UNREADABLE)),
]);
/** A delta on the wire: the round whose inventories it starts from and their digest, the digest of the result. */
export const WireInventoryDelta = v.strictObject({
  base: v.pipe(v.string(), v.maxLength(64)),
  baseDigest: Digest,
  digest: Digest,
  sources: v.pipe(v.array(DeltaSource), v.maxLength(64)),
});
export type WireInventoryDelta = v.InferOutput<typeof WireInventoryDelta>;

/** One member's inventories as a receiver (or the sender) keeps them for the next delta: the round, the list, its digest. */
export interface DeltaBase {
  run: string;
  list: readonly SharedInventory[];
  /** Computed once needed (inventoryDigest). */
  digest?: string;
}

/** Whether two items of one path say the same on the wire (what itemKey compares, without building strings). */
function sameItem(x: InventoryItem, y: InventoryItem, modes: boolean): boolean {
  if (x === y) return true;
  if (x.kind === 'directory' || y.kind === 'directory') return x.kind === y.kind;
  return x.size === y.size && x.mtime === y.mtime && x.blockSize === y.blockSize && x.hash === y.hash && (!modes || x.mode === y.mode);
}

/** An item as the digest sees it: everything the wire carries of it (the block list follows from the hash). */
function itemKey(code: string, i: InventoryItem, modes: boolean): string {
  if (i.kind === 'directory') return `${code}\0${i.path}`;
  return `${code}\0${i.path}\0${i.size}\0${i.mtime}\0${i.blockSize}\0${i.hash}\0${modes && i.mode !== undefined ? i.mode : ''}`;
}

/**
 * A digest of inventories: the item count and two 32-bit FNV-1a lanes (different offsets and primes) summed over every
 * item and source header. It catches a receiver whose copy is not the sender's (a lost or refused blob, a bug), not a
 * forger: a member speaks for its own sources anyway, and could as well send whole inventories that lie.
 */
export function inventoryDigest(list: readonly SharedInventory[], modes = true): string {
  let a = 0;
  let b = 0;
  let n = 0;
  const add = (key: string) => {
    let x = 0x811c9dc5;
    let y = 0x2f3a5b7d;
    for (let k = 0; k < key.length; k++) {
      const c = key.charCodeAt(k);
      x = Math.imul(x ^ c, 0x01000193);
      y = Math.imul(y ^ c, 0x5bd1e995);
    }
    a = (a + (x >>> 0)) >>> 0;
    b = (b + ((y ^ (y >>> 15)) >>> 0)) >>> 0;
    n++;
  };
  for (const { id, inventory: inv } of list) {
    add(`\u0001${inv.source}\0${id}\0${inv.rootKind}\0${inv.rootName}\0${inv.errors.map((e) => e.path).join('\0')}`);
    for (const i of inv.items) add(itemKey(inv.source, i, modes));
  }
  return `${n % 1e8}:${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

/**
 * What changed from `previous` to `next` (both in path order, as inventories are), or null when a delta cannot say it:
 * the sources differ (another count, code, id, kind or name), or more than DELTA_MAX_SHARE of the items changed.
 */
export function inventoryDelta(previous: DeltaBase, next: readonly SharedInventory[], modes: boolean): WireInventoryDelta | null {
  if (previous.list.length !== next.length) return null;
  const sources: WireInventoryDelta['sources'] = [];
  let changes = 0;
  let items = 0;
  for (let s = 0; s < next.length; s++) {
    const before = previous.list[s] as SharedInventory;
    const after = next[s] as SharedInventory;
    const [p, q] = [before.inventory, after.inventory];
    if (before.id !== after.id || p.source !== q.source || p.rootKind !== q.rootKind || p.rootName !== q.rootName) return null;
    const removed: string[] = [];
    const upserts: WireItem[] = [];
    let i = 0;
    let j = 0;
    while (i < p.items.length || j < q.items.length) {
      const x = p.items[i];
      const y = q.items[j];
      const order = x === undefined ? 1 : y === undefined ? -1 : comparePaths(x.path, y.path);
      if (order < 0) removed.push((x as InventoryItem).path);
      else if (order > 0) upserts.push(wireItem(y as InventoryItem, modes));
      else if (!sameItem(x as InventoryItem, y as InventoryItem, modes)) upserts.push(wireItem(y as InventoryItem, modes));
      if (order <= 0) i++;
      if (order >= 0) j++;
    }
    changes += removed.length + upserts.length;
    items += q.items.length;
    sources.push([q.source, after.id, q.rootKind, q.rootName, removed, upserts, q.errors.map((e) => e.path)]);
  }
  if (changes > Math.max(64, items * DELTA_MAX_SHARE)) return null;
  previous.digest ??= inventoryDigest(previous.list, modes);
  return { base: previous.run, baseDigest: previous.digest, digest: inventoryDigest(next, modes), sources };
}

/**
 * A delta applied: the sender's inventories, or why not. `mismatch`: this receiver does not hold the base the delta
 * starts from, or the result is not what the sender has (ask it for its whole inventories); otherwise the delta breaks
 * a rule a whole inventory would (refused, reported; the receiver asks for the whole inventories all the same).
 */
export type DeltaOutcome =
  | { ok: true; list: SharedInventory[]; digest: string }
  | { ok: false; mismatch: boolean; reason: string };

const mismatch = (reason: string): DeltaOutcome => ({ ok: false, mismatch: true, reason });
const refused = (reason: string): DeltaOutcome => ({ ok: false, mismatch: false, reason });

/** Whether paths are strictly increasing (the walk's order, so none twice) and each passes `ok`. */
function ordered(paths: readonly string[], ok: (p: string) => boolean): boolean {
  for (let k = 0; k < paths.length; k++) if (!ok(paths[k] as string) || (k > 0 && comparePaths(paths[k - 1] as string, paths[k] as string) >= 0)) return false;
  return true;
}

/**
 * Applies `from`'s delta (`value`, as parsed from its blob) to `base`, the inventories this receiver kept of that
 * member. Nothing is changed in place: a refused delta leaves the base as it was. Source codes must carry the sender's
 * letter; items obey every rule of decodeInventories, and the result every one of its bounds.
 */
export function applyInventoryDelta(base: DeltaBase | undefined, value: unknown, letter: string, takenAt: number): DeltaOutcome {
  const parsed = v.safeParse(WireInventoryDelta, value);
  if (!parsed.success) return refused(`malformed: ${parsed.issues[0]?.message ?? ''}`.slice(0, 200));
  const delta = parsed.output;
  if (delta.sources.some(([code]) => code[0] !== letter)) return refused('source of another member');
  if (!base || base.run !== delta.base) return mismatch('unknown base');
  base.digest ??= inventoryDigest(base.list);
  if (base.digest !== delta.baseDigest) return mismatch('base digest differs');
  if (delta.sources.length !== base.list.length) return mismatch('other sources');
  const out: SharedInventory[] = [];
  let itemCount = 0;
  let pathChars = 0;
  let unreadableCount = 0;
  for (let s = 0; s < delta.sources.length; s++) {
    const [code, id, rootKind, rootName, removed, upserts, unreadable] = delta.sources[s] as WireInventoryDelta['sources'][number];
    const kept = base.list[s] as SharedInventory;
    if (kept.id !== id || kept.inventory.source !== code || kept.inventory.rootKind !== rootKind || kept.inventory.rootName !== rootName) return mismatch('other sources');
    unreadableCount += unreadable.length;
    if (unreadableCount > MAX_UNREADABLE || !unreadable.every(isValidPath)) return refused('unreadable paths');
    if (!ordered(removed, () => true)) return refused('removed paths out of order');
    const fresh: InventoryItem[] = [];
    for (const item of upserts) {
      const one = expandItem(item);
      if (!one) return refused(`item ${JSON.stringify(item[0].slice(0, 80))}`);
      if (fresh.length > 0 && comparePaths((fresh.at(-1) as InventoryItem).path, one.path) >= 0) return refused('items out of order');
      fresh.push(one);
    }
    // Merge: the kept items in order, each dropped if removed, replaced if upserted; new ones in their place.
    const old = kept.inventory.items;
    const items: InventoryItem[] = [];
    let i = 0;
    let r = 0;
    let u = 0;
    while (i < old.length || u < fresh.length) {
      const x = old[i];
      const y = fresh[u];
      const order = x === undefined ? 1 : y === undefined ? -1 : comparePaths(x.path, y.path);
      const next = (order <= 0 ? x : y) as InventoryItem;
      const gone = r < removed.length && removed[r] === next.path;
      if (gone) {
        if (order >= 0) return refused(`path both removed and changed: ${JSON.stringify(next.path.slice(0, 80))}`);
        r++;
      } else {
        items.push(order >= 0 ? (y as InventoryItem) : (x as InventoryItem));
        pathChars += next.path.length;
      }
      if (order <= 0) i++;
      if (order >= 0) u++;
      if (r < removed.length && comparePaths(removed[r] as string, next.path) < 0) return mismatch('removes a path it did not have');
    }
    if (r < removed.length) return mismatch('removes a path it did not have');
    itemCount += items.length;
    if (itemCount > MAX_ITEMS || pathChars > MAX_PATH_CHARS) return refused('past the inventory limits');
    out.push(peerInventory(code, id, rootKind, rootName, items, unreadable, takenAt));
  }
  const digest = inventoryDigest(out);
  if (digest !== delta.digest) return mismatch('result digest differs');
  return { ok: true, list: out, digest };
}
