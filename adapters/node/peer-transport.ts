/** Node's mesh Transport: the browser's simple-peer fork over @roamhq/wrtc's RTCPeerConnection, binary messages. */
import Peer from './simple-peer-node.ts';
import type { Transport } from '../../core/mesh/transport.ts';
import { simplePeerTransport, type PeerTransportOptions, type WaitForDrain } from '../shared/simple-peer-transport.ts';

export type NodePeerTransportOptions = PeerTransportOptions;

/**
 * How often `drained` looks at `bufferedAmount`. @roamhq/wrtc never fires `bufferedamountlow` (and leaves
 * `bufferedAmountLowThreshold` undefined), so waiting for the event, as the browser does, would wait forever:
 * polling is the only signal there is. At ~100 MB/s, 2 ms is ~200 KB, well inside BUFFER_LOW (core/mesh/outbox.ts).
 */
const POLL_MS = 2;

const pollBuffered: WaitForDrain = (channel, bytes, closed) =>
  new Promise<void>((resolve) => {
    const look = () => {
      if (closed() || channel?.readyState !== 'open' || channel.bufferedAmount <= bytes) resolve();
      else setTimeout(look, POLL_MS);
    };
    look();
  });

/** One simple-peer per peer over @roamhq/wrtc. */
export function nodePeerTransport(options: NodePeerTransportOptions): Transport {
  return simplePeerTransport({
    createPeer: (o) => new Peer(o),
    // Ordered and reliable (no maxRetransmits / maxPacketLifeTime): the mesh's frames are sealed in sequence.
    channelConfig: { ordered: true },
    waitForDrain: pollBuffered,
  }, options);
}
