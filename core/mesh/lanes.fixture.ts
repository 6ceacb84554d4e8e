/** Test support for the mesh's lanes (lanes.test.ts, lane-loss.test.ts; a `*.fixture.ts` is test-only, checked as tests are): a mesh of members over the loopback transport, with a manual clock. */
import { LoopbackNetwork } from '../testing/loopback-transport.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { settleUntilQuiet } from '../testing/settle.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import type { Random } from '../ports.ts';
import { Mesh } from './mesh.ts';
import { MeshKeys } from './mesh-keys.ts';
import type { LanePolicy } from './lanes.ts';
import { decodeBundle, isBundle } from './bundle.ts';
// The runtime's own WebCrypto (a global in Node 20 as in browsers): no platform import in core/.
export const subtle = globalThis.crypto.subtle as unknown as SubtleLike;
export const random: Random = { bytes: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)) };
export const [A, B, C] = ['a000000000000001', 'b000000000000002', 'c000000000000003'];
export const sessionKey = random.bytes(32);
/** What may take a lane here: messages starting with 'P' (a block piece's stand-in); JSON starts with '{'. */
export const piece = (n: number, size = 64) => {
  const bytes = new Uint8Array(size);
  bytes[0] = 0x50;
  new DataView(bytes.buffer).setUint32(1, n);
  return bytes;
};
export const pieceNo = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(1);
export const json = (s: string) => new TextEncoder().encode(JSON.stringify({ s }));
export const laneable = (data: Uint8Array) => data[0] === 0x50;

/** Frames delivered between `from` and `to`, unbundled, per connection (link id). */
export function framesByLink(net: LoopbackNetwork, from: string, to: string): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  for (const [f, t, m, link] of net.delivered) {
    if (f !== from || t !== to) continue;
    out.set(link, [...(out.get(link) ?? []), ...(isBundle(m) ? decodeBundle(m)! : [m])]);
  }
  return out;
}

/** A mesh of `n` members (A, B, C…), each with its own lane policy; `settle` waits for it to stop moving. */
export async function mesh(policies: Partial<LanePolicy>[]) {
  const net = new LoopbackNetwork();
  const clock = new ManualClock();
  const ids = [A, B, C].slice(0, policies.length);
  /** Each member's lane policy, as the mesh holds it: a test may change it on the way (`force`). */
  const policyOf = new Map<string, LanePolicy>();
  const members = new Map<string, Mesh>();
  const inbox: [string, string, Uint8Array][] = [];
  const drops: [string, string, string][] = [];
  const events: string[] = [];
  /** Lanes lost or failed, as `<member>:<what>:<lane>`. */
  const lost: string[] = [];
  let signals = 0;
  ids.forEach((id, i) => {
    const keys = new MeshKeys({ subtle, random, sessionId: '482-KQT-913', self: id, sessionKey, epoch: 0 });
    const m = new Mesh({
      self: id, transport: net.transportFor(id), keys, timers: clock,
      sendSignal: (to, body) => {
        signals++;
        void members.get(to)?.receiveSignal(id, body);
      },
      lanes: policyOf.set(id, { accept: true, peerAccepts: () => true, laneable, ...policies[i] }).get(id)!,
    });
    m.on('message', (from, data) => inbox.push([id, from, data]));
    m.on('dropped', (from, reason) => drops.push([id, from, reason]));
    m.on('peer.down', (peer) => events.push(`${id}:down:${peer}`));
    m.on('peer.stalled', (peer, reason) => events.push(`${id}:stalled:${peer}:${reason}`));
    m.on('lane', (_peer, lane, what) => (what === 'lost' || what === 'failed') && lost.push(`${id}:${what}:${lane}`));
    members.set(id, m);
  });
  // What waits in the outboxes and channel buffers moves too while frames are sealed for a peer that does not read: a
  // settle that counted only deliveries ended during those seals on a loaded machine (a lane test failed 1 run in 3-4).
  const held = () => [...members.values()].reduce((n, m) => n + ids.reduce((k, peer) => k + m.held(peer).queued + m.held(peer).buffered, 0), 0);
  const progress = () => net.delivered.length + inbox.length + drops.length + signals + events.length + held();
  // Sealing and key derivation run on Node's thread pool: on a loaded machine one can outlast a few quiet ticks.
  const settle = () => settleUntilQuiet(progress, 50);
  ids.forEach((id, i) => ids.forEach((other, j) => i !== j && members.get(id)!.connect(other, i > j)));
  await settle();
  return { net, clock, members, inbox, drops, events, lost, settle, m: (id: string) => members.get(id)!, policy: (id: string) => policyOf.get(id)! };
}

/** A sends `count` pieces to B on any lane (and each lane, once open, gets some). */
export async function spread(t: Awaited<ReturnType<typeof mesh>>, count: number, size = 64) {
  // The first send opens the forced lanes; pieces go on lane 0 until they are up.
  void t.m(A).send(B, piece(0, size), { anyLane: true });
  await t.settle();
  await Promise.all(Array.from({ length: count }, (_, i) => t.m(A).send(B, piece(i + 1, size), { anyLane: true })));
  await t.settle();
}
