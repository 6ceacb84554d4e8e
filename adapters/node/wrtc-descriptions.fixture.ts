/**
 * Run by wrtc-descriptions.test.ts, and many times by wrtc-stress.ts, as
 * `node --import tsx wrtc-descriptions.fixture.ts <pairs> <at once>`: real @roamhq/wrtc pairs through the Node transport
 * (the simple-peer fork, peer-transport.ts), signaled concurrently, each moving MESSAGES messages one way and reading
 * its channel stats before both sides close. wrtc's native RTCPeerConnection is wrapped first, to count every read of a
 * description getter that reaches native code (RTCPeerConnection::GetLocalDescription and kin, which serialize the SDP
 * on this thread while WebRTC's signaling thread may be changing it: node-webrtc issue #696). The process ends by
 * itself, finalizers and all. Prints, as JSON, how many pairs connected, messages arrived, bytes the stats counted and
 * native description reads.
 */
import { createRequire } from 'node:module';
import type { PeerChannel } from '../../core/mesh/transport.ts';

const PAIRS = Number(process.argv[2] ?? 4);
const AT_ONCE = Number(process.argv[3] ?? 4);
const MESSAGES = 20;
const MESSAGE_BYTES = 16 * 1024;
const PAIR_TIMEOUT_MS = 20_000;

const DESCRIPTION_GETTERS = new Set(['localDescription', 'remoteDescription', 'currentLocalDescription', 'pendingLocalDescription', 'currentRemoteDescription', 'pendingRemoteDescription']);
const nativeReads: Record<string, number> = {};

// wrtc's JavaScript RTCPeerConnection looks its native class up on the binding's exports at each construction
// (lib/peerconnection.js `new _webrtc.RTCPeerConnection`): a counting proxy put there sees every native read.
const binding = createRequire(import.meta.url)('@roamhq/wrtc/lib/binding') as { RTCPeerConnection: new (config: object) => object };
const NativePeerConnection = binding.RTCPeerConnection;
binding.RTCPeerConnection = function CountingPeerConnection(config: object) {
  return new Proxy(new NativePeerConnection(config), {
    get(target, key) {
      if (typeof key === 'string' && DESCRIPTION_GETTERS.has(key)) nativeReads[key] = (nativeReads[key] ?? 0) + 1;
      const value: unknown = Reflect.get(target, key, target);
      // Native methods check their receiver: call them on the native object, not on the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });
} as unknown as typeof NativePeerConnection;

const { nodePeerTransport } = await import('./peer-transport.ts');
const transport = nodePeerTransport({ iceServers: [] });

interface PairResult { connected: boolean; received: number; statsBytes: number }

/** One pair: a offers, b answers; signaling data crosses on a later turn, as text, as through the server. */
function pair(index: number): Promise<PairResult> {
  return new Promise((resolve) => {
    const result: PairResult = { connected: false, received: 0, statsBytes: 0 };
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      a.close();
      b.close();
      resolve(result);
    };
    const timer = setTimeout(end, PAIR_TIMEOUT_MS);
    const relay = (to: () => PeerChannel) => (data: string) => setImmediate(() => to().signal(data));
    const a: PeerChannel = transport.open({
      peer: `b${index}`,
      initiator: true,
      handlers: {
        onSignal: relay(() => b),
        onConnect: () => {
          for (let i = 0; i < MESSAGES; i++) a.send(new Uint8Array(MESSAGE_BYTES).fill(i));
        },
        onData: () => {},
        onClose: end,
      },
    });
    const b: PeerChannel = transport.open({
      peer: `a${index}`,
      initiator: false,
      handlers: {
        onSignal: relay(() => a),
        onConnect: () => (result.connected = true),
        onData: (data) => {
          if (data.byteLength === MESSAGE_BYTES && data[0] === result.received) result.received++;
          if (result.received < MESSAGES) return;
          void b.stats!().then((stats) => (result.statsBytes = stats.bytesReceived), () => {}).finally(end);
        },
        onClose: end,
      },
    });
  });
}

const results: PairResult[] = [];
let next = 0;
await Promise.all(Array.from({ length: AT_ONCE }, async () => {
  while (next < PAIRS) results.push(await pair(next++));
}));
// A moment for the closes to reach the network thread; then the process ends by itself.
await new Promise((resolve) => setTimeout(resolve, 200));
process.stdout.write(`${JSON.stringify({
  pairs: PAIRS,
  connected: results.filter((r) => r.connected).length,
  received: results.reduce((sum, r) => sum + r.received, 0),
  statsBytes: results.reduce((sum, r) => sum + r.statsBytes, 0),
  nativeReads,
})}\n`);
