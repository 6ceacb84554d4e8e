/** The browser's ports for a Cloud Session member (core/cloud/member.ts): WebCrypto, signaling WebSocket, WebRTC, workers. */
import type { Clock, Hasher, Store, Timers } from '../../core/ports.ts';
import type { SubtleLike } from '../../core/crypto/subtle.ts';
import type { CloudMemberPorts } from '../../core/cloud/member.ts';
import { browserSignalConnector, signalUrlFor } from './signal-client.ts';
import { peerTransport } from './peer-transport.ts';
import { browserCompressor } from './compressor.ts';
import { WorkerBlobDecoder } from './worker-blob-decoder.ts';
import { WorkerBlockCodec } from './worker-block-codec.ts';

/** One worker decodes peers' inventories and plans for every member of the page (started on first use). */
const blobDecoder = new WorkerBlobDecoder();
/** One worker compresses the blocks every member of the page sends (block-deflate; started on first use). */
const blockCodec = new WorkerBlockCodec();

export interface BrowserMemberOptions {
  deviceName: string;
  hasher: Hasher;
  store: Store;
  clock: Clock & Timers;
  /** Every WebRTC packet through TURN (hides this computer's addresses from the others). */
  relayOnly: boolean;
  /** The page's origin: the signaling server is there. */
  location: { protocol: string; host: string };
  /** Tests only: lanes opened to each peer at once, whatever the path (core/mesh/lanes.ts); unset: adaptive. */
  lanes?: number;
}

/** The ports a page builds its CloudMember from; the Node member builds the same object with Node's. */
export function browserMemberPorts(o: BrowserMemberOptions): CloudMemberPorts {
  return {
    deps: {
      subtle: crypto.subtle as unknown as SubtleLike,
      random: { bytes: (n) => crypto.getRandomValues(new Uint8Array(n)) },
      clock: o.clock,
      signal: browserSignalConnector(signalUrlFor(o.location), (reason) => console.warn('[signal] bad frame dropped:', reason)),
      transport: ({ iceServers }) => peerTransport({ iceServers, iceTransportPolicy: o.relayOnly ? 'relay' : 'all' }),
      deviceName: o.deviceName,
      ...(o.lanes !== undefined ? { lanes: o.lanes } : {}),
    },
    hasher: o.hasher,
    store: o.store,
    compressor: browserCompressor,
    blobDecoder,
    blockCodec,
  };
}
