/** Hostile owner (issue 16, block-deflate): compressed blocks that inflate past their size, or malformed ones, are refused and nothing is written; old members get plain blocks. */
import { describe, expect, it } from 'vitest';
import { joinParts } from '../crypto/parts.ts';
import { deflateSync } from 'fflate';
import { cloudMembers, inventoryAll, syncAll, type MeshMember } from '../../signaling/testing/cloud-members.ts';
import { MemFs } from '../testing/memfs.ts';
import { logText } from '../testing/bytes.ts';
import type { DirSink } from '../ports.ts';
import { DEFLATED_FRAME_KIND, decodeBlockPiece, encodeBlockPiece } from '../protocol/block-frame.ts';
import { INVENTORY_DELTA, INVENTORY_MODES } from '../protocol/mesh-messages.ts';

const FILE = 256 * 1024; // two 128 KiB blocks of log-like text

/** A owns notes.txt (compressible); B receives it in a mirror A1 → B1. `tamper` rewrites each block piece A sends. */
async function mirror(tamper: ((piece: Uint8Array) => Uint8Array | null) | null, features?: readonly string[]) {
  const a = MemFs.from({ 'notes.txt': logText(FILE, 3) }, { name: 'A' });
  const b = new MemFs({ name: 'B' });
  const all = await cloudMembers<DirSink>([a, b], { features: (i) => (i === 1 ? features : undefined) });
  const [owner, receiver] = all as [MeshMember, MeshMember];
  const kinds: number[] = [];
  receiver.session.on('run.bulk', (_f, data) => kinds.push(data[0] as number));
  if (tamper) {
    const send = owner.session.sendBytes.bind(owner.session);
    owner.session.sendBytes = (peer, data) => {
      const out = tamper(joinParts(data));
      return out ? send(peer, out) : Promise.resolve();
    };
  }
  await inventoryAll(all);
  await syncAll(all, owner.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
  const result = owner.run.results.get(receiver.session.self)!;
  return { a, b, result, kinds };
}

/** Each block's first piece replaced by a compressed stream `stream`, the rest dropped. */
const instead = (stream: Uint8Array) => (data: Uint8Array) => {
  const piece = decodeBlockPiece(data)!;
  if (piece.offset > 0) return null;
  return encodeBlockPiece({ ...piece, length: stream.length, bytes: stream, deflated: true });
};

describe('hostile owner — compressed blocks', () => {
  it('a decompression bomb (64 MiB of zeros in ~64 KiB for a 128 KiB block) is refused with its reason, nothing written', async () => {
    const bomb = deflateSync(new Uint8Array(64 << 20), { level: 9 });
    const m = await mirror(instead(bomb));
    expect(m.result.done).toEqual([]);
    expect(m.result.failed).toHaveLength(1);
    expect(m.result.failed[0]!.message).toMatch(/inflates past its 131072 bytes/);
    expect(m.b.readFile('notes.txt')).toBeUndefined();
  }, 60_000);

  it('a malformed stream, and one that inflates to the right size but other bytes, are refused; nothing written', async () => {
    const malformed = await mirror(instead(Uint8Array.of(0xff, 0xee, 0xdd, 0xcc, 0xbb)));
    expect(malformed.result.failed[0]!.message).toMatch(/malformed compressed block/);
    expect(malformed.b.readFile('notes.txt')).toBeUndefined();
    // Right length, wrong content: the block's hash (checked on the inflated bytes) refuses it.
    const other = await mirror(instead(deflateSync(logText(128 * 1024, 99))));
    expect(other.result.done).toEqual([]);
    expect(other.result.failed).toHaveLength(1);
    expect(other.b.readFile('notes.txt')).toBeUndefined();
  }, 60_000);

  it('honest: text goes compressed to a member that reads it, plain to one from before block-deflate, equal either way', async () => {
    const now = await mirror(null);
    expect(now.result.failed).toEqual([]);
    expect(now.kinds.length).toBeGreaterThan(0);
    expect(now.kinds.every((k) => k === DEFLATED_FRAME_KIND)).toBe(true);
    expect(now.b.readFile('notes.txt')).toEqual(now.a.readFile('notes.txt'));
    const old = await mirror(null, [INVENTORY_MODES, INVENTORY_DELTA]);
    expect(old.result.failed).toEqual([]);
    expect(old.kinds.length).toBeGreaterThan(0);
    expect(old.kinds.includes(DEFLATED_FRAME_KIND)).toBe(false);
    expect(old.b.readFile('notes.txt')).toEqual(old.a.readFile('notes.txt'));
  }, 60_000);
});
