/** Node's mesh Transport: the browser's simple-peer fork over @roamhq/wrtc's RTCPeerConnection, binary messages. */
import Peer from './simple-peer-node.ts';
import { closeLateChannels } from './late-channels.ts';
import type { Transport } from '../../core/mesh/transport.ts';
import { simplePeerTransport, type PeerTransportOptions, type WaitForDrain } from '../shared/simple-peer-transport.ts';

export type NodePeerTransportOptions = PeerTransportOptions;

/**
 * How `drained` waits. @roamhq/wrtc never fires `bufferedamountlow` (and leaves `bufferedAmountLowThreshold`
 * undefined), so waiting for the event, as the browser does, would wait forever: polling is the only signal there is.
 * Each look at `bufferedAmount` is a blocking call into the WebRTC network thread, which is busy sending: ~0.5 ms of
 * the sender's main thread each. So the next look comes when the rest should have drained at the rate seen since the
 * last look (at first FIRST_BYTES_PER_MS, faster than loopback reaches here), between MIN_POLL_MS and MAX_POLL_MS:
 * two or three looks per drain instead of one every 2 ms.
 */
const FIRST_BYTES_PER_MS = 200_000;
const MIN_POLL_MS = 1;
const MAX_POLL_MS = 50;

const pollBuffered: WaitForDrain = (channel, bytes, closed) =>
  new Promise<void>((resolve) => {
    let last: { at: number; excess: number } | null = null;
    const look = () => {
      const excess = closed() || channel?.readyState !== 'open' ? 0 : channel.bufferedAmount - bytes;
      if (excess <= 0) return resolve();
      const now = performance.now();
      const rate = last && last.excess > excess ? (last.excess - excess) / Math.max(1, now - last.at) : FIRST_BYTES_PER_MS;
      last = { at: now, excess };
      setTimeout(look, Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, excess / rate)));
    };
    look();
  });

/** One simple-peer per peer over @roamhq/wrtc. */
export function nodePeerTransport(options: NodePeerTransportOptions): Transport {
  return simplePeerTransport({
    createPeer: (o) => {
      const peer = new Peer(o);
      // simple-peer's own connection (lite.js `_pc`, no public accessor): a channel it announces after closing must not stay.
      const pc = (peer as unknown as { _pc?: Parameters<typeof closeLateChannels>[0] | null })._pc;
      if (pc) closeLateChannels(pc);
      return peer;
    },
    // Ordered and reliable (no maxRetransmits / maxPacketLifeTime): the mesh's frames are sealed in sequence.
    channelConfig: { ordered: true },
    waitForDrain: pollBuffered,
  }, options);
}
