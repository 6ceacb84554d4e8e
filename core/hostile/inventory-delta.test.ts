import { describe, expect, it } from 'vitest';
import { applyInventoryDelta, inventoryDelta, type DeltaBase } from '../transfer/inventory-delta.ts';
import { decodeInventories, encodeInventories, MAX_ITEMS, type SharedInventory } from '../transfer/compact-inventory.ts';
import { RunInbox } from '../cloud/run/run-inbox.ts';
import { inThreadDecoder, toParts } from '../transfer/blob-parts.ts';
import { nodeCompressor } from '../../adapters/node/compressor.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { MESH_PROTOCOL_VERSION } from '../protocol/mesh-messages.ts';
import type { InventoryItem } from '../inventory/types.ts';

const H = 'ab'.repeat(32);
const file = (path: string, mtime = 0): InventoryItem => ({ kind: 'file', path, size: 1, mtime, blockSize: 128 * 1024, blocks: [H], hash: H });
const B1 = (items: InventoryItem[]): SharedInventory[] => [{ id: 'id-b1', inventory: { source: 'B1', rootKind: 'directory', rootName: 'b', items, errors: [], stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0 } }];
const wired = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown> & { sources: unknown[][] };
const held = (list: SharedInventory[]): DeltaBase => ({ run: 'r1', list: decodeInventories(wired(encodeInventories(list)), 'B', 0) as SharedInventory[] });
/** An honest delta of B from r1 (a.txt, b.txt) to c.txt added, as a hostile member would start from. */
const honest = () => wired(inventoryDelta({ run: 'r1', list: B1([file('a.txt'), file('b.txt')]) }, B1([file('a.txt'), file('b.txt'), file('c.txt')]), false));
const base = () => held(B1([file('a.txt'), file('b.txt')]));
/** The honest delta with its B1 entry's removed list (4) or upserts (5) replaced. */
const forged = (field: 4 | 5, value: unknown) => {
  const d = honest();
  (d.sources[0] as unknown[])[field] = value;
  return d;
};

describe('hostile member — inventory deltas (§12): refused with a reason, the receiver\'s copy untouched', () => {
  it('a delta naming a base this receiver never had is a mismatch (it asks for the whole inventories), not applied', () => {
    const d = honest();
    d.base = 'never-sent';
    expect(applyInventoryDelta(base(), d, 'B', 0)).toMatchObject({ ok: false, mismatch: true, reason: 'unknown base' });
    expect(applyInventoryDelta(undefined, honest(), 'B', 0)).toMatchObject({ ok: false, mismatch: true });
  });

  it.each([
    ['Quintet\'s own folder', ['.quintet/versions/x', 1, 0, 131072, H, H]],
    ['a path going up', ['../escape', 1, 0, 131072, H, H]],
    ['an absolute path', ['/etc/passwd', 1, 0, 131072, H, H]],
    ['a block size the scheme does not pick', ['c.txt', 1, 0, 4096, H, H]],
    ['a path over 4,096 characters', [`${'x/'.repeat(2048)}y`]],
  ])('refuses an item with %s', (_what, item) => {
    const b = base();
    const before = JSON.stringify(b.list);
    const outcome = applyInventoryDelta(b, forged(5, [item]), 'B', 0);
    expect(outcome).toMatchObject({ ok: false, mismatch: false });
    expect(JSON.stringify(b.list)).toBe(before);
  });

  it('refuses items out of order or twice, a path both removed and changed, another member\'s source code', () => {
    expect(applyInventoryDelta(base(), forged(5, [['d'], ['c']]), 'B', 0)).toMatchObject({ ok: false, mismatch: false, reason: 'items out of order' });
    expect(applyInventoryDelta(base(), forged(5, [['c'], ['c']]), 'B', 0)).toMatchObject({ ok: false, mismatch: false });
    expect(applyInventoryDelta(base(), forged(4, ['b.txt', 'a.txt']), 'B', 0)).toMatchObject({ ok: false, mismatch: false, reason: 'removed paths out of order' });
    expect(applyInventoryDelta(base(), { ...forged(4, ['a.txt']), sources: [['B1', 'id-b1', 'directory', 'b', ['a.txt'], [['a.txt']], []]] }, 'B', 0)).toMatchObject({ ok: false, mismatch: false });
    expect(applyInventoryDelta(base(), honest(), 'C', 0)).toMatchObject({ ok: false, mismatch: false, reason: 'source of another member' });
  });

  it('a delta that removes what the receiver never had, or whose result is not what it claims, is a mismatch', () => {
    expect(applyInventoryDelta(base(), forged(4, ['zzz']), 'B', 0)).toMatchObject({ ok: false, mismatch: true, reason: 'removes a path it did not have' });
    const d = honest();
    d.digest = '3:0000000000000000';
    expect(applyInventoryDelta(base(), d, 'B', 0)).toMatchObject({ ok: false, mismatch: true, reason: 'result digest differs' });
  });

  it('refuses a huge delta past the item limit by its schema, before building anything', () => {
    const removed = Array.from({ length: MAX_ITEMS + 1 }, () => 'a');
    const outcome = applyInventoryDelta(base(), forged(4, removed), 'B', 0);
    expect(outcome).toMatchObject({ ok: false, mismatch: false });
    expect(outcome.ok === false && outcome.reason).toMatch(/^malformed/);
  });

  it('through the run inbox: a broken delta is reported and the whole inventories asked for; the copy kept still takes the next honest delta', async () => {
    const problems: string[] = [];
    const asked: string[] = [];
    const inbox = new RunInbox(inThreadDecoder(nodeCompressor), new ManualClock(), (p) => problems.push(p), (peer, run) => asked.push(`${peer} ${run}`));
    const send = async (type: 'inventory-part' | 'inventory-delta-part', run: string, value: unknown) => {
      let done = false;
      for (const part of await toParts(value, nodeCompressor)) done = await inbox.add('peer-b', 'B', { type, v: MESH_PROTOCOL_VERSION, run, ...part });
      return done;
    };
    expect(await send('inventory-part', 'r1', encodeInventories(B1([file('a.txt'), file('b.txt')])))).toBe(true);
    // Another base: no problem (a reload, a new leader), but the whole inventories are asked for.
    expect(await send('inventory-delta-part', 'r2', { ...honest(), base: 'r0' })).toBe(false);
    expect(problems).toEqual([]);
    // A broken one: reported, asked for whole.
    expect(await send('inventory-delta-part', 'r3', forged(5, [['.quintet/x']]))).toBe(false);
    expect(problems).toEqual([expect.stringMatching(/^inventory-refused:B:delta: item/)]);
    expect(asked).toEqual(['peer-b r2', 'peer-b r3']);
    expect(inbox.inventories.complete(['peer-b'], 'r3')).toBe(false);
    // Nothing was lost: the honest delta from r1 still applies.
    expect(await send('inventory-delta-part', 'r4', honest())).toBe(true);
    expect(inbox.inventories.all([{ id: 'peer-b', self: false }], [])[0]?.inventory.items.map((i) => i.path)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(inbox.deltas).toEqual({ applied: 1, fallbacks: 2 });
  });
});
