import { describe, expect, it } from 'vitest';
import { joinParts } from '../crypto/parts.ts';
import { MemFs } from '../testing/memfs.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import { decodeBlockPiece } from '../protocol/block-frame.ts';
import type { BlocksErrorMessage } from '../protocol/run-messages.ts';
import type { CopyAction } from '../plan/types.ts';
import { BlockServer, SERVE_BYTES_PER_PEER, SERVE_QUEUE_PER_PEER } from './block-server.ts';
import { ServeGate } from './serve-gate.ts';
import { BlockPuller } from './remote-blocks.ts';

const BS = 128 * 1024;
const hex = (n: number) => n.toString(16).padStart(64, '0');

/** An owner (server and gate) and a puller wired to each other in memory, each send a microtask later. */
async function wired(size: number, windowBytes: number, stalled = false) {
  const data = patternBytes(size, 7);
  const fs = MemFs.from({ 'big.bin': data });
  const { mtime } = await fs.open('big.bin');
  const blocks = Array.from({ length: Math.ceil(size / BS) }, (_, i) => hex(i + 1));
  const file = { kind: 'file' as const, path: 'big.bin', size, mtime, blockSize: BS, blocks, hash: hex(0), code: 'A1' };
  const errors: BlocksErrorMessage['code'][] = [];
  let puller: BlockPuller | null = null;
  let peak = 0; // requests queued or served at the owner, at most, right after each arrived
  const later = () => Promise.resolve();
  const server = new BlockServer({
    hasher: new NobleHasher(),
    sendError: (_peer, m) => later().then(() => (errors.push(m.code), puller?.onError('owner', m))),
    // A stalled channel: the mesh never resolves a send while the peer does not read.
    sendBytes: (_peer, d) => (stalled ? new Promise<void>(() => undefined) : later().then(() => puller?.onPiece('owner', decodeBlockPiece(joinParts(d))!))),
  });
  server.setFiles(new Map([['A1', fs]]), [file]);
  const gate = new ServeGate({ server, letterOf: () => 'B' });
  gate.open('s1', new Set([ServeGate.key('A1', file.hash, 'B')]));
  puller = new BlockPuller({
    run: 's1', ownerOf: () => 'owner', localSources: new Map(), localIndex: new Map(), hasher: new NobleHasher(),
    counters: { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 }, windowBytes,
    send: (_peer, m) => later().then(() => {
      gate.receive('puller', m);
      peak = Math.max(peak, server.load('puller').requests);
    }),
  });
  const action: CopyAction = { type: 'copy', from: 'A1', target: 'B1', path: 'big.bin', targetPath: 'big.bin', size, hash: file.hash, blockSize: BS, blocks, replaces: null };
  return { data, fs, errors, server, gate, puller, action, peak: () => peak };
}

describe('Block serving between an owner and an honest puller', () => {
  it('a window wider than the owner queues: the puller asks only what the queue takes, gets no `busy`, and receives every block', async () => {
    const size = (SERVE_QUEUE_PER_PEER + 8) * 1024 * 1024; // more 1 MiB requests than the queue holds
    const w = await wired(size, size);
    const reader = await w.puller.open(w.action);
    const got = new Uint8Array(size);
    for (let i = 0; i < w.action.blocks.length; i++) got.set(joinParts(await reader.block(i)), i * BS);
    expect(w.errors).toEqual([]); // without the per-owner bound: 9 `busy` answers, each asked again
    expect(w.peak()).toBeLessThanOrEqual(SERVE_QUEUE_PER_PEER);
    expect(Buffer.from(got).equals(Buffer.from(w.data))).toBe(true);
    expect(w.server.load('puller')).toEqual({ requests: 0, bytes: 0, replies: 0 });
  }, 30_000);

  it('a closed run: queued requests are refused and the puller’s blocks fail instead of waiting', async () => {
    const w = await wired(8 * 1024 * 1024, 8 * 1024 * 1024);
    const reader = await w.puller.open(w.action);
    w.gate.close('s1');
    const outcomes = await Promise.allSettled(w.action.blocks.map((_, i) => reader.block(i)));
    expect(outcomes.some((o) => o.status === 'rejected')).toBe(true);
    expect(w.errors.length).toBeGreaterThan(0);
    expect(new Set(w.errors)).toEqual(new Set(['refused']));
  }, 30_000);

  it('a peer that stops reading holds one budget of bytes; once it leaves, nothing of it is held and nothing more is read', async () => {
    const w = await wired(16 * 1024 * 1024, 16 * 1024 * 1024, true);
    const reader = await w.puller.open(w.action);
    void reader.block(0).catch(() => undefined);
    while (w.server.load('puller').bytes < SERVE_BYTES_PER_PEER) await new Promise((r) => setTimeout(r, 1));
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1)); // anything more it would read, it reads now
    const mib = 1024 * 1024;
    // The budget is shared by the requests served at once: none may have finished, at most a budget's worth did.
    const held = w.server.load('puller');
    expect({ bytes: held.bytes, replies: held.replies }).toEqual({ bytes: SERVE_BYTES_PER_PEER, replies: 0 });
    expect(held.requests).toBeGreaterThanOrEqual(16 - SERVE_BYTES_PER_PEER / mib);
    expect(w.fs.counts.read).toBe(SERVE_BYTES_PER_PEER / BS);
    w.server.forget('puller');
    w.puller.peerGone('owner');
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
    expect(w.server.load('puller')).toEqual({ requests: 0, bytes: 0, replies: 0 });
    expect(w.fs.counts.read).toBe(SERVE_BYTES_PER_PEER / BS);
  }, 30_000);
});
