/**
 * Run many times by mesh-order-stress.ts, as `node --import tsx mesh-order.fixture.ts <pairs> <at once> <each|burst>
 * [core dir]`: real core/mesh pairs (Mesh + MeshKeys, WebCrypto) over the Node transport (@roamhq/wrtc through the
 * simple-peer fork), `at once` connecting together. Each side sends BURST messages of MESSAGE_BYTES as soon as its
 * channel is up, and BURST more once it has all of its peer's first burst: `each`, the next as soon as the mesh took
 * the last (each its own channel message, as wrtc-descriptions.fixture.ts sends); `burst`, all at once (the outbox
 * bundles them, about 15 to a channel message). Each side checks it got its peer's messages all, once, in order, and
 * counts the mesh's `dropped` events by reason. Under the mesh, the frames as the channel handed them
 * (their counters) are watched too: a counter that is not the one after the last is a reorder by the WebRTC stack,
 * whatever the mesh then makes of it. `core dir` runs another checkout's core/mesh (an older inlet) over this
 * transport. Prints, as JSON, totals per direction (offerer → answerer, answerer → offerer) and a few examples.
 * Why the mesh rarely meets the reorder wrtc-descriptions.fixture.ts meets (its offerer sends in the tick of `connect`;
 * 2 ms later, none in 2,520 pairs): the mesh's first frame goes out only once sealed, a WebCrypto round trip later.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { webcrypto } from 'node:crypto';
import type { Mesh as MeshClass } from '../../core/mesh/mesh.ts';
import type { MeshKeys as MeshKeysClass } from '../../core/mesh/mesh-keys.ts';
import type { Transport } from '../../core/mesh/transport.ts';
import type { SubtleLike } from '../../core/crypto/subtle.ts';
import { decodeBundle, isBundle } from '../../core/mesh/bundle.ts';
import { nodeClock, nodeRandom } from './cloud-deps.ts';
import { nodePeerTransport } from './peer-transport.ts';

const PAIRS = Number(process.argv[2] ?? 4);
const AT_ONCE = Number(process.argv[3] ?? 4);
const SEND_EACH = (process.argv[4] ?? 'each') === 'each';
const CORE = pathToFileURL(`${resolve(process.argv[5] ?? new URL('../../core', import.meta.url).pathname)}/`);
const BURST = 20;
const MESSAGE_BYTES = 16 * 1024;
const PAIR_TIMEOUT_MS = 15_000;
const EXAMPLES = 4;

const { Mesh } = (await import(new URL('mesh/mesh.ts', CORE).href)) as { Mesh: typeof MeshClass };
const { MeshKeys } = (await import(new URL('mesh/mesh-keys.ts', CORE).href)) as { MeshKeys: typeof MeshKeysClass };
const subtle = webcrypto.subtle as unknown as SubtleLike;
const sessionKey = nodeRandom.bytes(32);

/** One direction of one pair, as its receiver saw it. */
interface Seen {
  /** Messages handed on in order (the next expected index). */
  inOrder: number;
  /** Messages handed on that were not the next expected one. */
  misplaced: number;
  /** The indexes of the messages handed on, in order. */
  handed: number[];
  drops: Record<string, number>;
  /** Frame counters in the order the channel handed them. */
  counters: number[];
}

/** Totals of one direction over the pairs of this process. */
interface Direction {
  /** Pairs whose receiver got all 2×BURST in order, nothing dropped. */
  clean: number;
  pairsWithDrop: number;
  pairsMissing: number;
  pairsMisplaced: number;
  drops: Record<string, number>;
  /** Pairs whose channel handed frames out of counter order; of those, the ones where it began past the first burst. */
  pairsReordered: number;
  reorderedLate: number;
}

const directions = { offerer: blank(), answerer: blank() };
const examples: string[] = [];
let connected = 0;
let timeouts = 0;

function blank(): Direction {
  return { clean: 0, pairsWithDrop: 0, pairsMissing: 0, pairsMisplaced: 0, drops: {}, pairsReordered: 0, reorderedLate: 0 };
}

/** Index ‖ filler: the receiver checks the index and the length. */
function message(index: number): Uint8Array {
  const data = new Uint8Array(MESSAGE_BYTES).fill(index);
  new DataView(data.buffer).setUint32(0, index);
  return data;
}

/** `0-8,14-19`: counters as runs. */
function runs(counters: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < counters.length;) {
    let j = i;
    while (j + 1 < counters.length && counters[j + 1] === counters[j]! + 1) j++;
    out.push(i === j ? `${counters[i]}` : `${counters[i]}-${counters[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** The transport, telling `watch` each frame's counter (header bytes 8–15, core/crypto README "Frames") before the mesh reads it. */
function watched(transport: Transport, watch: (from: string, counter: number) => void): Transport {
  return {
    open: (o) => transport.open({
      ...o,
      handlers: {
        ...o.handlers,
        onData: (data) => {
          for (const frame of isBundle(data) ? decodeBundle(data) ?? [] : [data]) {
            if (frame.length >= 16) watch(o.peer, Number(new DataView(frame.buffer, frame.byteOffset).getBigUint64(8)));
          }
          o.handlers.onData(data);
        },
      },
    }),
  };
}

const seen = new Map<string, Seen>();
const transport = watched(nodePeerTransport({ iceServers: [] }), (from, counter) => seen.get(from)?.counters.push(counter));

function tally(direction: Direction, s: Seen, pair: number, name: string): void {
  const dropped = Object.values(s.drops).reduce((sum, n) => sum + n, 0);
  for (const [reason, n] of Object.entries(s.drops)) direction.drops[reason] = (direction.drops[reason] ?? 0) + n;
  if (dropped > 0) direction.pairsWithDrop++;
  if (s.inOrder < 2 * BURST) direction.pairsMissing++;
  if (s.misplaced > 0) direction.pairsMisplaced++;
  if (dropped === 0 && s.inOrder === 2 * BURST && s.misplaced === 0) direction.clean++;
  const first = s.counters.findIndex((c, i) => c !== i);
  if (first >= 0) direction.pairsReordered++;
  if (first >= BURST) direction.reorderedLate++;
  const clean = first < 0 && dropped === 0 && s.inOrder === 2 * BURST;
  if (!clean && examples.length < EXAMPLES) examples.push(`pair ${pair} ${name}: counters ${runs(s.counters)}; handed on ${runs(s.handed)}; drops ${JSON.stringify(s.drops)}`);
}

/** One pair: a offers, b answers; the mesh's sealed signaling crosses on a later turn, as through the server. */
function pair(index: number): Promise<void> {
  const ids = [`a${String(index).padStart(15, '0')}`, `b${String(index).padStart(15, '0')}`] as const;
  const sides = ids.map(() => ({ seen: { inOrder: 0, misplaced: 0, handed: [], drops: {}, counters: [] } as Seen, sending: Promise.resolve(), second: false, up: false }));
  ids.forEach((id, i) => seen.set(id, sides[1 - i]!.seen));
  return new Promise((done) => {
    let ended = false;
    const meshes: MeshClass[] = [];
    const accounted = (s: Seen) => s.inOrder + s.misplaced + Object.values(s.drops).reduce((sum, n) => sum + n, 0);
    const end = (timedOut: boolean) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      if (timedOut) timeouts++;
      if (sides.every((s) => s.up)) connected++;
      for (const m of meshes) m.close();
      tally(directions.offerer, sides[1]!.seen, index, 'offerer → answerer');
      tally(directions.answerer, sides[0]!.seen, index, 'answerer → offerer');
      ids.forEach((id) => seen.delete(id));
      done();
    };
    const timer = setTimeout(() => end(true), PAIR_TIMEOUT_MS);
    const burst = async (i: number, from: number) => {
      for (let k = 0; k < BURST; k++) {
        const sent = meshes[i]!.send(ids[1 - i]!, message(from + k));
        if (SEND_EACH) await sent;
      }
    };
    ids.forEach((self, i) => {
      const side = sides[i]!;
      const mesh = new Mesh({
        self, transport, timers: nodeClock,
        keys: new MeshKeys({ subtle, random: nodeRandom, sessionId: '482-KQT-913', self, sessionKey, epoch: 0 }),
        sendSignal: (to, body) => setImmediate(() => void meshes[1 - i]!.receiveSignal(self, body)),
      });
      const check = () => {
        const got = accounted(side.seen);
        if (side.up && got >= BURST && !side.second) {
          side.second = true;
          // After the first burst: its sends may still be under way (`each`), and the indexes go out in order.
          side.sending = side.sending.then(() => burst(i, BURST));
        }
        if (sides.every((s) => accounted(s.seen) >= 2 * BURST)) end(false);
      };
      mesh.on('peer.up', () => {
        side.up = true;
        side.sending = side.sending.then(() => burst(i, 0));
        check();
      });
      mesh.on('message', (_from, data) => {
        const index = data.byteLength === MESSAGE_BYTES ? new DataView(data.buffer, data.byteOffset).getUint32(0) : -1;
        side.seen.handed.push(index);
        if (index === side.seen.inOrder) side.seen.inOrder++;
        else side.seen.misplaced++;
        check();
      });
      mesh.on('dropped', (_from, reason) => {
        side.seen.drops[reason] = (side.seen.drops[reason] ?? 0) + 1;
        check();
      });
      meshes.push(mesh);
    });
    meshes[0]!.connect(ids[1], true);
    meshes[1]!.connect(ids[0], false);
  });
}

let next = 0;
await Promise.all(Array.from({ length: AT_ONCE }, async () => {
  while (next < PAIRS) await pair(next++);
}));
// A moment for the closes to reach the network thread; then the process ends by itself.
await new Promise((resolve) => setTimeout(resolve, 200));
process.stdout.write(`${JSON.stringify({ pairs: PAIRS, connected, timeouts, directions, examples })}\n`);
