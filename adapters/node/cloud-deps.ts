/** Builds a Node member's Cloud Session ports: what startCloudSession / joinCloudSession and a CloudRun take. */
import { webcrypto } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock, Compressor, Random, Timers } from '../../core/ports.ts';
import type { SubtleLike } from '../../core/crypto/subtle.ts';
import type { CloudDeps } from '../../core/cloud/cloud-ports.ts';
import { nodePeerTransport } from './peer-transport.ts';
import { nodeSignalConnector, signalUrlForServer } from './signal-client.ts';
import { NodeHasher } from './node-hasher.ts';
import { FileStore, defaultStateDir } from './file-store.ts';
import { nodeCompressor } from './compressor.ts';
import { inlineAesGcm } from './inline-aes-gcm.ts';

/** getRandomValues fills at most this many bytes per call (WebCrypto's quota). */
const RANDOM_QUOTA = 65_536;

/** Cryptographic randomness from node:crypto's WebCrypto, the same call the browser makes. */
export const nodeRandom: Random = {
  bytes: (length) => {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += RANDOM_QUOTA) webcrypto.getRandomValues(out.subarray(at, Math.min(length, at + RANDOM_QUOTA)));
    return out;
  },
};

/** Wall-clock time and setTimeout deadlines. */
export const nodeClock: Clock & Timers = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

export interface NodeCloudOptions {
  /** The signaling server as http(s)://host[:port] (`--server`, QUINTET_SERVER); ws(s):// is taken too. */
  server: string;
  /** Shown to the other members; this machine's host name by default. */
  deviceName?: string;
  /** 'relay' sends everything through TURN (hides this machine's addresses from peers); 'all' by default. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** A frame from the server that failed validation and was dropped. */
  onBadFrame?(reason: string): void;
}

/** The CloudDeps of a Node member: node:crypto (WebCrypto, AES-GCM in this thread), the `ws` signal client, simple-peer over @roamhq/wrtc. */
export function nodeCloudDeps(options: NodeCloudOptions): CloudDeps {
  const signalUrl = signalUrlForServer(options.server);
  return {
    // Frames are sealed and opened in this thread (inline-aes-gcm.ts says why); the rest is WebCrypto's.
    subtle: inlineAesGcm(webcrypto.subtle as unknown as SubtleLike),
    random: nodeRandom,
    clock: nodeClock,
    signal: nodeSignalConnector(signalUrl, options.onBadFrame),
    transport: ({ iceServers }) => nodePeerTransport({ iceServers, iceTransportPolicy: options.iceTransportPolicy }),
    deviceName: (options.deviceName ?? hostname()).slice(0, 64),
  };
}

/** Everything a Node member's session and its runs are built from. `dispose()` stops the hashing workers. */
export interface NodeCloudPlatform {
  /** For startCloudSession / joinCloudSession. */
  deps: CloudDeps;
  /** For a CloudRun beside the session (core/cloud/run/cloud-run.ts CloudRunOptions). */
  hasher: NodeHasher;
  store: FileStore;
  clock: Clock & Timers;
  compressor: Compressor;
  dispose(): Promise<void>;
}

/** The deps plus the run's ports; the store lives in `stateDir` (defaultStateDir() unless given). */
export function nodeCloudPlatform(options: NodeCloudOptions & { stateDir?: string }): NodeCloudPlatform {
  const hasher = new NodeHasher();
  return {
    deps: nodeCloudDeps(options),
    hasher,
    store: new FileStore(options.stateDir ?? defaultStateDir()),
    clock: nodeClock,
    compressor: nodeCompressor,
    dispose: () => hasher.dispose(),
  };
}
