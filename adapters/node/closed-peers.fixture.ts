/**
 * Run by closed-peers.test.ts as `node --expose-gc --import tsx`: opens and closes real @roamhq/wrtc connections through
 * the Node transport, forces collections, and prints as JSON what closed-peers.ts kept and in which order the
 * collector took each connection and its channels. Ends by itself, the way a process whose loop ran dry does.
 */
import type { PeerChannel } from '../../core/mesh/transport.ts';
import { closedPeers, type ClosedPeerKeeper } from './closed-peers.ts';
import { nodePeerTransport } from './peer-transport.ts';

const PAIRS = Number(process.argv[2] ?? 4);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Watches what the transport hands the keeper: each connection's native object and its channels, by number.
const taken: string[] = [];
const watch = new FinalizationRegistry<string>((tag) => taken.push(tag));
let kept = 0;
let channels = 0;
const keep = closedPeers.keep;
(closedPeers as { keep: ClosedPeerKeeper['keep'] }).keep = (pc, list) => {
  const id = kept++;
  watch.register((pc as { _pc?: object })._pc ?? pc, `pc${id}`);
  for (const channel of list) watch.register(channel, `dc${id}`);
  channels += list.length;
  keep(pc, list);
};

async function pair(): Promise<void> {
  const ends: { a?: PeerChannel; b?: PeerChannel } = {};
  let upA!: () => void, upB!: () => void, goneB!: () => void;
  const up = Promise.all([new Promise<void>((r) => (upA = r)), new Promise<void>((r) => (upB = r))]);
  const gone = new Promise<void>((r) => (goneB = r));
  const a = nodePeerTransport({ iceServers: [] }).open({ peer: 'b', initiator: true, handlers: { onSignal: (d) => ends.b?.signal(d), onConnect: () => upA(), onData: () => {}, onClose: () => {} } });
  const b = nodePeerTransport({ iceServers: [] }).open({ peer: 'a', initiator: false, handlers: { onSignal: (d) => ends.a?.signal(d), onConnect: () => upB(), onData: () => {}, onClose: () => goneB() } });
  Object.assign(ends, { a, b });
  await up;
  a.send(new Uint8Array(64 * 1024));
  a.close(); // b closes when it hears of it, as a member whose peer left
  await gone;
}

const started = Date.now();
await Promise.all(Array.from({ length: PAIRS }, pair));
await sleep(300);
for (let i = 0; i < 3; i++) {
  gc();
  await sleep(50);
}
const heldAfterClose = closedPeers.held;
const takenWhileHeld = taken.length;
// Collections until the keeper let everything go and the collector took it all (bounded retention), or 40 s.
while ((closedPeers.held > 0 || taken.length < kept + channels) && Date.now() - started < 40_000) {
  gc();
  await sleep(200);
}
process.stdout.write(`${JSON.stringify({ pairs: PAIRS, kept, channels, heldAfterClose, takenWhileHeld, heldAtEnd: closedPeers.held, taken, ms: Date.now() - started })}\n`);
