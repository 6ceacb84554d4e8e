/** A lane lost mid-transfer (docs/protocol.md §8 Lanes, Failure): the file still arrives whole, over a real mesh with lanes, and the pair stays. */
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { joinParts } from '../crypto/parts.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import { MemFs } from '../testing/memfs.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import { LoopbackNetwork } from '../testing/loopback-transport.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { Mesh } from '../mesh/mesh.ts';
import { MeshKeys } from '../mesh/mesh-keys.ts';
import { decodeBlockPiece, isBlockFrame } from '../protocol/block-frame.ts';
import type { BlocksErrorMessage, BlocksGetMessage } from '../protocol/run-messages.ts';
import type { CopyAction } from '../plan/types.ts';
import { BlockServer } from './block-server.ts';
import { ServeGate } from './serve-gate.ts';
import { BlockPuller, type TransferCounters } from './remote-blocks.ts';

const subtle = webcrypto.subtle as unknown as SubtleLike;
const random = { bytes: (n: number) => webcrypto.getRandomValues(new Uint8Array(n)) };
const [A, B] = ['a000000000000001', 'b000000000000002'];
const BS = 128 * 1024;
const hex = (n: number) => n.toString(16).padStart(64, '0');
const text = (m: object) => new TextEncoder().encode(JSON.stringify(m));

/**
 * Owner A (block server, three lanes forced) and puller B over two meshes on a loopback network. `mends`: both announce
 * `lane-loss`. `failOn(link)` runs once A's fifth piece on lane 2 has arrived: the test's way to lose it mid-transfer.
 */
async function transfer(size: number, mends: boolean, failOn: (net: LoopbackNetwork, link: number) => void) {
  const net = new LoopbackNetwork();
  const clock = new ManualClock();
  const sessionKey = random.bytes(32);
  const meshes = new Map<string, Mesh>();
  const events: string[] = [];
  for (const id of [A, B]) {
    const keys = new MeshKeys({ subtle, random, sessionId: '482-KQT-913', self: id, sessionKey, epoch: 0 });
    const mesh = new Mesh({
      self: id, transport: net.transportFor(id), keys, timers: clock,
      sendSignal: (to, body) => void meshes.get(to)?.receiveSignal(id, body),
      lanes: { accept: true, peerAccepts: () => true, peerMends: () => mends, laneable: isBlockFrame, force: id === A ? 3 : 0 },
    });
    mesh.on('peer.down', (peer) => events.push(`${id}:down:${peer}`));
    mesh.on('lane', (_peer, lane, what) => what !== 'opened' && what !== 'connected' && events.push(`${id}:${what}:${lane}`));
    meshes.set(id, mesh);
  }
  const [a, b] = [meshes.get(A)!, meshes.get(B)!];
  a.connect(B, false);
  b.connect(A, true);
  while (a.connected.length === 0 || b.connected.length === 0) await new Promise((r) => setTimeout(r, 1));
  a.considerLanes(B);
  while (net.links(A, B).length < 4 || (await a.laneStats())[B]?.['out-3'] === undefined) await new Promise((r) => setTimeout(r, 1));

  const data = patternBytes(size, 5);
  const fs = MemFs.from({ 'big.bin': data });
  const { mtime } = await fs.open('big.bin');
  const blocks = Array.from({ length: Math.ceil(size / BS) }, (_, i) => hex(i + 1));
  const file = { kind: 'file' as const, path: 'big.bin', size, mtime, blockSize: BS, blocks, hash: hex(0), code: 'A1' };
  const server = new BlockServer({
    hasher: new NobleHasher(),
    sendError: (peer, m) => a.send(peer, text(m)),
    sendBytes: (peer, d) => a.send(peer, d, { anyLane: true }),
  });
  server.setFiles(new Map([['A1', fs]]), [file]);
  const gate = new ServeGate({ server, letterOf: () => 'B' });
  gate.open('s1', new Set([ServeGate.key('A1', file.hash, 'B')]));
  a.on('message', (from, m) => gate.receive(from, JSON.parse(new TextDecoder().decode(m)) as BlocksGetMessage));

  const counters: TransferCounters = { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 };
  const puller = new BlockPuller({
    run: 's1', ownerOf: () => A, localSources: new Map(), localIndex: new Map(), hasher: new NobleHasher(), counters,
    send: (peer, m) => b.send(peer, text(m)),
  });
  b.on('message', (from, m) => (isBlockFrame(m) ? puller.onPiece(from, decodeBlockPiece(m)!) : puller.onError(from, JSON.parse(new TextDecoder().decode(m)) as BlocksErrorMessage)));
  // As core/cloud/run/cloud-run.ts wires them.
  b.on('lane', (peer, lane, what) => what === 'lost' && lane.startsWith('in-') && puller.laneLost(peer));
  b.on('peer.down', (peer) => puller.peerGone(peer));

  const links = net.links(A, B);
  const lane2 = links[2]!;
  let onLane2 = 0;
  net.tap = (from, _to, frame, link) => {
    if (from === A && link === lane2 && ++onLane2 === 5) queueMicrotask(() => failOn(net, lane2));
    return frame;
  };
  const action: CopyAction = { type: 'copy', from: 'A1', target: 'B1', path: 'big.bin', targetPath: 'big.bin', size, hash: file.hash, blockSize: BS, blocks, replaces: null };
  const reader = await puller.open(action);
  const got = new Uint8Array(size);
  const outcome = await (async () => {
    for (let i = 0; i < blocks.length; i++) got.set(joinParts(await reader.block(i)), i * BS);
  })().then(() => 'whole', (e: Error) => e.message);
  return { a, b, net, links, events, counters, outcome, same: Buffer.from(got).equals(Buffer.from(data)), onLane2 };
}

describe('a lane lost in the middle of a file', () => {
  for (const [what, failOn] of [
    ['closed at both ends', (net: LoopbackNetwork, link: number) => net.cut(A, B, link)],
    ['closed at the receiver first (the sender still thinks it up)', (net: LoopbackNetwork, link: number) => net.closeEnd(B, link)],
    ['closed at the sender first', (net: LoopbackNetwork, link: number) => net.closeEnd(A, link)],
  ] as const) {
    it(`${what}: the file arrives byte for byte, the pair stays up, no lane opens again, the loss is reported and counted`, async () => {
      const t = await transfer(12 * 1024 * 1024, true, failOn);
      expect(t.onLane2).toBeGreaterThanOrEqual(5); // it carried pieces before it went
      expect(t.outcome).toBe('whole');
      expect(t.same).toBe(true);
      expect(t.events.filter((e) => e.includes(':down:'))).toEqual([]);
      expect(t.a.connected).toEqual([B]);
      expect(t.events.sort()).toEqual([`${A}:lost:out-2`, `${B}:lost:in-2`]);
      expect(t.a.lanesLost + t.b.lanesLost).toBe(2);
      expect(t.counters.reasked).toBeGreaterThan(0);
      expect(t.net.links(A, B)).toEqual([t.links[0], t.links[1], t.links[3]]);
    }, 60_000);
  }

  it('toward an owner that does not mend, the pair goes down and the file fails as member-left, as before', async () => {
    const t = await transfer(12 * 1024 * 1024, false, (net, link) => net.cut(A, B, link));
    expect(t.outcome).toMatch(/member-left/);
    expect(t.events).toContain(`${B}:down:${A}`);
  }, 60_000);
});
