/** Compressed blocks end to end between an owner and a puller in memory: only toward a peer that reads them, whole on arrival. */
import { describe, expect, it } from 'vitest';
import { joinParts } from '../crypto/parts.ts';
import { deflateSync } from 'fflate';
import { MemFs } from '../testing/memfs.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { logText, patternBytes } from '../testing/bytes.ts';
import { decodeBlockPiece, encodeBlockPiece, isBlockFrame } from '../protocol/block-frame.ts';
import type { CopyAction } from '../plan/types.ts';
import { hashFile } from '../inventory/blocks.ts';
import { BlockServer } from './block-server.ts';
import { BlockPuller } from './remote-blocks.ts';
import { fflateBlockCodec } from './block-codec.ts';

/** An owner serving `data` as notes.txt and a puller, wired in memory; `wire` counts the payload bytes of the pieces. */
async function wired(data: Uint8Array, deflateFor: boolean) {
  const fs = MemFs.from({ 'notes.txt': data });
  const hasher = new NobleHasher();
  const opened = await fs.open('notes.txt');
  const { hash, blocks, blockSize } = await hashFile(opened, hasher);
  const file = { kind: 'file' as const, path: 'notes.txt', size: data.length, mtime: opened.mtime, blockSize, blocks, hash, code: 'A1' };
  const wire = { pieces: 0, deflated: 0, bytes: 0 };
  let puller: BlockPuller | null = null;
  const server = new BlockServer({
    hasher, codec: fflateBlockCodec, deflateFor: () => deflateFor,
    sendError: async (_p, m) => puller?.onError('owner', m),
    sendBytes: async (_p, d) => {
      const piece = decodeBlockPiece(joinParts(d))!;
      wire.pieces++;
      wire.bytes += piece.bytes.length;
      if (piece.deflated) wire.deflated++;
      puller?.onPiece('owner', piece);
    },
  });
  server.setFiles(new Map([['A1', fs]]), [file]);
  puller = new BlockPuller({
    run: 's1', ownerOf: () => 'owner', localSources: new Map(), localIndex: new Map(), hasher, codec: fflateBlockCodec,
    counters: { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 },
    send: async (_p, m) => server.handle('puller', m),
  });
  const action: CopyAction = { type: 'copy', from: 'A1', target: 'B1', path: 'notes.txt', targetPath: 'notes.txt', size: data.length, hash, blockSize, blocks, replaces: null };
  const readAll = async () => {
    const reader = await puller.open(action);
    const got = new Uint8Array(data.length);
    for (let i = 0; i < blocks.length; i++) got.set(joinParts(await reader.block(i)), i * blockSize);
    return got;
  };
  return { wire, readAll, hasher, blocks };
}

describe('block-deflate between an owner and a puller', () => {
  it('text goes compressed toward a peer that reads it: under a third of its bytes, every block whole and equal', async () => {
    const text = logText(384 * 1024 + 777);
    const w = await wired(text, true);
    expect(await w.readAll()).toEqual(text);
    expect(w.wire.deflated).toBe(w.wire.pieces);
    expect(w.wire.bytes).toBeLessThan(text.length / 3);
  }, 60_000);

  it('toward a peer that does not say it reads it, the same text goes as it is', async () => {
    const text = logText(256 * 1024);
    const w = await wired(text, false);
    expect(await w.readAll()).toEqual(text);
    expect(w.wire.deflated).toBe(0);
    expect(w.wire.bytes).toBe(text.length);
  }, 60_000);

  it('incompressible bytes go as they are even toward a peer that reads compressed blocks', async () => {
    const dense = patternBytes(256 * 1024, 11);
    const w = await wired(dense, true);
    expect(await w.readAll()).toEqual(dense);
    expect(w.wire.deflated).toBe(0);
    expect(w.wire.bytes).toBe(dense.length);
  }, 60_000);
});

describe('the deflated piece frame', () => {
  it('round-trips with its kind byte, and a plain piece stays plain', () => {
    const bytes = Uint8Array.of(1, 2, 3);
    const deflated = encodeBlockPiece({ req: 7, index: 2, offset: 0, length: 3, bytes, deflated: true });
    expect(deflated[0]).toBe(1);
    expect(isBlockFrame(deflated)).toBe(true);
    expect(decodeBlockPiece(deflated)).toMatchObject({ req: 7, index: 2, offset: 0, length: 3, deflated: true });
    const plain = decodeBlockPiece(encodeBlockPiece({ req: 7, index: 2, offset: 0, length: 3, bytes }))!;
    expect(plain.deflated).toBeUndefined();
    expect(isBlockFrame(Uint8Array.of(2, 0, 0))).toBe(false);
  });
});

describe('a puller fed compressed pieces that do not hold together', () => {
  /** A puller whose requests are only recorded; the test plays the owner. */
  async function pullerAlone(data: Uint8Array) {
    const fs = MemFs.from({ 'notes.txt': data });
    const hasher = new NobleHasher();
    const { hash, blocks, blockSize } = await hashFile(await fs.open('notes.txt'), hasher);
    const asked: number[] = [];
    const puller = new BlockPuller({
      run: 's1', ownerOf: () => 'owner', localSources: new Map(), localIndex: new Map(), hasher, codec: fflateBlockCodec,
      counters: { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 },
      send: async (_p, m) => void asked.push(m.req),
    });
    const action: CopyAction = { type: 'copy', from: 'A1', target: 'B1', path: 'notes.txt', targetPath: 'notes.txt', size: data.length, hash, blockSize, blocks, replaces: null };
    const reader = await puller.open(action);
    await Promise.resolve();
    return { puller, reader, req: asked[0] as number, blockSize };
  }

  it('a block whose pieces switch from compressed to plain fails with its reason; a stream not smaller than the block too', async () => {
    const text = logText(256 * 1024, 5);
    const p = await pullerAlone(text);
    const stream = deflateSync(text.subarray(0, p.blockSize));
    p.puller.onPiece('owner', { req: p.req, index: 0, offset: 0, length: stream.length, bytes: stream.subarray(0, 100), deflated: true });
    p.puller.onPiece('owner', { req: p.req, index: 0, offset: 0, length: p.blockSize, bytes: text.subarray(0, 100) });
    await expect(p.reader.block(0)).rejects.toThrow(/pieces of one block disagree/);
    p.puller.onPiece('owner', { req: p.req, index: 1, offset: 0, length: p.blockSize, bytes: new Uint8Array(p.blockSize), deflated: true });
    await expect(p.reader.block(1)).rejects.toThrow(/not smaller/);
  }, 60_000);
});
