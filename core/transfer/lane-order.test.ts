/** The receiver with lanes (issue 16): pieces of its blocks arrive in any order, and pieces of a request that already ended are ignored. */
import { describe, expect, it } from 'vitest';
import { joinParts } from '../crypto/parts.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import type { BlocksGetMessage } from '../protocol/run-messages.ts';
import type { BlockPiece } from '../protocol/block-frame.ts';
import type { CopyAction } from '../plan/types.ts';
import { MESH_PROTOCOL_VERSION } from '../protocol/mesh-messages.ts';
import { BlockPuller, MAX_REASKS, type TransferCounters } from './remote-blocks.ts';

const BS = 128 * 1024;
const hex = (n: number) => n.toString(16).padStart(64, '0');

/** A puller whose requests are only recorded: the test plays the owner, piece by piece. */
function puller(size: number) {
  const data = patternBytes(size, 3);
  const blocks = Array.from({ length: Math.ceil(size / BS) }, (_, i) => hex(i + 1));
  const asked: BlocksGetMessage[] = [];
  const counters: TransferCounters = { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 };
  const p = new BlockPuller({
    run: 's1', ownerOf: () => 'owner', localSources: new Map(), localIndex: new Map(), hasher: new NobleHasher(), counters,
    windowBytes: size, send: async (_peer, m) => void asked.push(m),
  });
  const action: CopyAction = { type: 'copy', from: 'A1', target: 'B1', path: 'f.bin', targetPath: 'f.bin', size, hash: hex(0), blockSize: BS, blocks, replaces: null };
  /** Block `index` cut in `cuts` pieces for request `req`. */
  const pieces = (req: number, index: number, cuts: number): BlockPiece[] => {
    const block = data.subarray(index * BS, Math.min(size, (index + 1) * BS));
    const step = Math.ceil(block.length / cuts);
    return Array.from({ length: cuts }, (_, c) => ({ req, index, offset: c * step, length: block.length, bytes: block.subarray(c * step, (c + 1) * step) }));
  };
  return { p, data, asked, counters, action, pieces };
}

/** A fixed shuffle (a seeded Fisher–Yates): the order lanes of different speeds could give. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('BlockPuller with pieces over several lanes', () => {
  it('puts blocks together from pieces arriving in any order, across blocks and requests', async () => {
    const size = 2 * 1024 * 1024 + 777;
    const t = puller(size);
    const reader = await t.p.open(t.action);
    await Promise.resolve();
    expect(t.asked.length).toBeGreaterThan(1);
    const all = t.asked.flatMap((m) => m.indices.flatMap((i) => t.pieces(m.req, i, 3)));
    for (const piece of shuffled(all)) t.p.onPiece('owner', piece);
    const got = new Uint8Array(size);
    for (let i = 0; i < t.action.blocks.length; i++) got.set(joinParts(await reader.block(i)), i * BS);
    expect(Buffer.from(got).equals(Buffer.from(t.data))).toBe(true);
    expect(t.counters.pulledBytes).toBe(size);
  });

  it('an error on lane 0 that overtakes its pieces ends the request; the pieces after it are ignored quietly', async () => {
    const size = 1024 * 1024;
    const t = puller(size);
    const reader = await t.p.open(t.action);
    await Promise.resolve();
    const [first] = t.asked;
    const late = first!.indices.flatMap((i) => t.pieces(first!.req, i, 2));
    t.p.onPiece('owner', late.shift()!); // one piece came before the error
    t.p.onError('owner', { type: 'blocks-error', v: MESH_PROTOCOL_VERSION, run: 's1', req: first!.req, code: 'changed' });
    for (const piece of late) expect(() => t.p.onPiece('owner', piece)).not.toThrow(); // the rest, late on other lanes
    const outcomes = await Promise.allSettled(first!.indices.map((i) => reader.block(i)));
    expect(outcomes.every((o) => o.status === 'rejected' && /changed/.test(String(o.reason)))).toBe(true);
    expect(t.counters.pulledBytes).toBe(0);
  });

  it('hands a block over as its pieces in order, not copied; pieces that overlap fail the block', async () => {
    const size = 2 * BS;
    const t = puller(size);
    const reader = await t.p.open(t.action);
    await Promise.resolve();
    const [first] = t.asked;
    const [a, b, c] = t.pieces(first!.req, 0, 3);
    for (const piece of [c!, a!, b!]) t.p.onPiece('owner', piece);
    const parts = (await reader.block(0)) as Uint8Array[];
    expect(parts).toEqual([a!.bytes, b!.bytes, c!.bytes]);
    expect(parts[0]!.buffer).toBe(t.data.buffer); // the piece's own bytes
    // Block 1: two pieces whose lengths add up to the block's but that cover part of it twice.
    const [x, y] = t.pieces(first!.req, 1, 2);
    t.p.onPiece('owner', x!);
    t.p.onPiece('owner', { ...y!, offset: y!.offset - 1 });
    await expect(reader.block(1)).rejects.toThrow(/overlap/);
  });

  it('a lost lane: what is still awaited is asked again under fresh IDs, partial pieces dropped, old pieces ignored; past MAX_REASKS the blocks fail', async () => {
    const size = 4 * BS;
    const t = puller(size);
    const reader = await t.p.open(t.action);
    await Promise.resolve();
    const [first] = t.asked;
    expect(first!.indices).toEqual([0, 1, 2, 3]);
    t.p.onPiece('owner', t.pieces(first!.req, 0, 1)[0]!); // block 0 whole
    const [half] = t.pieces(first!.req, 1, 2);
    t.p.onPiece('owner', half!); // half of block 1: came on the lane that went
    t.p.laneLost('other member'); // another pair's lane: nothing to do here
    expect(t.asked).toHaveLength(1);
    t.p.laneLost('owner');
    const again = t.asked[1]!;
    expect(again.req).not.toBe(first!.req);
    expect(again.indices).toEqual([1, 2, 3]);
    expect(again.hashes).toEqual([1, 2, 3].map((i) => t.action.blocks[i]));
    expect(t.counters.reasked).toBe(1);
    // The old request's other half comes late on another lane: a stray, it does not complete block 1.
    t.p.onPiece('owner', t.pieces(first!.req, 1, 2)[1]!);
    for (const i of again.indices) for (const piece of t.pieces(again.req, i, 2)) t.p.onPiece('owner', piece);
    const got = new Uint8Array(size);
    for (let i = 0; i < 4; i++) got.set(joinParts(await reader.block(i)), i * BS);
    expect(Buffer.from(got).equals(Buffer.from(t.data))).toBe(true);
    expect(t.counters.pulledBytes).toBe(size);

    // An owner whose lanes keep going (a hostile one closing them on purpose) cannot make us ask forever.
    const u = puller(2 * BS);
    const r2 = await u.p.open(u.action);
    await Promise.resolve();
    for (let n = 0; n < MAX_REASKS + 1; n++) u.p.laneLost('owner');
    expect(u.asked).toHaveLength(1 + MAX_REASKS);
    const outcomes = await Promise.allSettled([r2.block(0), r2.block(1)]);
    expect(outcomes.map((o) => o.status === 'rejected' && String(o.reason))).toEqual([expect.stringMatching(/lost/), expect.stringMatching(/lost/)]);
  });
});

