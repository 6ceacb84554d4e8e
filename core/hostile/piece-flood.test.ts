/**
 * A file's owner floods the receiver with pieces that add nothing to a block it awaits: empty pieces (a 17-byte frame
 * each, kept forever, the block never completing) or the same tiny piece again and again. Each piece is kept until
 * the block is whole, so the receiver's memory grew without bound (security.md, hostile table 16).
 */
import { describe, expect, it } from 'vitest';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import type { BlocksGetMessage } from '../protocol/run-messages.ts';
import type { CopyAction } from '../plan/types.ts';
import { BlockPuller, type TransferCounters } from '../transfer/remote-blocks.ts';
import { decodeBlockPiece, encodeBlockPiece } from '../protocol/block-frame.ts';

const BS = 128 * 1024;
const hex = (n: number) => n.toString(16).padStart(64, '0');

async function awaiting() {
  const data = patternBytes(BS, 5);
  const asked: BlocksGetMessage[] = [];
  const counters: TransferCounters = { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 };
  const p = new BlockPuller({
    run: 's1', ownerOf: () => 'owner', localSources: new Map(), localIndex: new Map(), hasher: new NobleHasher(), counters,
    windowBytes: BS, send: async (_peer, m) => void asked.push(m),
  });
  const action: CopyAction = { type: 'copy', from: 'A1', target: 'B1', path: 'f.bin', targetPath: 'f.bin', size: BS, hash: hex(0), blockSize: BS, blocks: [hex(1)], replaces: null };
  const reader = await p.open(action);
  await Promise.resolve();
  const req = asked[0]!.req;
  let outcome = 'waiting';
  reader.block(0).then(() => (outcome = 'whole'), (e: Error) => (outcome = e.message));
  return { p, data, req, outcome: async () => (await Promise.resolve(), await Promise.resolve(), outcome) };
}

describe('pieces that add nothing to a block', () => {
  it('empty pieces fail the block at once, with the reason', async () => {
    const t = await awaiting();
    for (let i = 0; i < 3; i++) t.p.onPiece('owner', { req: t.req, index: 0, offset: 0, length: BS, bytes: new Uint8Array(0) });
    expect(await t.outcome()).toMatch(/refused from its owner: .*empty piece/);
  });

  it('the same tiny piece again and again: the block fails long before a piece per byte is kept', async () => {
    const t = await awaiting();
    for (let i = 0; i < 1024; i++) t.p.onPiece('owner', { req: t.req, index: 0, offset: 0, length: BS, bytes: t.data.subarray(0, 1) });
    expect(await t.outcome()).toMatch(/refused from its owner: .*pieces/);
  });

  it('a block in small pieces of 4 KiB (what any sender cuts: piece-packer.ts) still comes whole', async () => {
    const t = await awaiting();
    for (let at = 0; at < BS; at += 4096) t.p.onPiece('owner', { req: t.req, index: 0, offset: at, length: BS, bytes: t.data.subarray(at, at + 4096) });
    expect(await t.outcome()).toBe('whole');
  });

  it('pieces for nothing we asked (another request, block or member, another length, past the end) are ignored; the block then comes whole', async () => {
    const t = await awaiting();
    const strays = [
      { from: 'owner', req: t.req + 1000, index: 0, length: BS },
      { from: 'owner', req: t.req, index: 1, length: BS },
      { from: 'someone-else', req: t.req, index: 0, length: BS },
      { from: 'owner', req: t.req, index: 0, length: 2 * BS },
    ];
    for (const s of strays) t.p.onPiece(s.from, { req: s.req, index: s.index, offset: 0, length: s.length, bytes: new Uint8Array(BS).fill(7) });
    expect(await t.outcome()).toBe('waiting');
    // A header past its own length, or a block of more than 16 MiB, never reaches the puller.
    const bad = encodeBlockPiece({ req: t.req, index: 0, offset: BS - 1, length: BS, bytes: new Uint8Array(2) });
    expect(decodeBlockPiece(bad)).toBeNull();
    expect(decodeBlockPiece(encodeBlockPiece({ req: t.req, index: 0, offset: 0, length: 2 ** 32 - 1, bytes: new Uint8Array(1) }))).toBeNull();
    t.p.onPiece('owner', { req: t.req, index: 0, offset: 0, length: BS, bytes: t.data });
    expect(await t.outcome()).toBe('whole');
  });
});
