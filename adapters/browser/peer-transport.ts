/** The browser's mesh Transport: simple-peer over the browser's own RTCPeerConnection (never node-datachannel). */
import Peer from '@thaunknown/simple-peer/lite.js';
import type { Transport } from '../../core/mesh/transport.ts';
import { simplePeerTransport, type PeerTransportOptions, type WaitForDrain } from '../shared/simple-peer-transport.ts';

export type { PeerTransportOptions };

/** The browser fires `bufferedamountlow`: wait for it (or the channel's close) instead of polling. */
const waitForLowEvent: WaitForDrain = (channel, bytes, closed) => {
  if (!channel || closed() || channel.bufferedAmount <= bytes) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      channel.removeEventListener('bufferedamountlow', done);
      channel.removeEventListener('close', done);
      resolve();
    };
    channel.bufferedAmountLowThreshold = bytes;
    channel.addEventListener('bufferedamountlow', done);
    channel.addEventListener('close', done);
  });
};

/** One simple-peer per peer over the browser's RTCPeerConnection. */
export function peerTransport(options: PeerTransportOptions): Transport {
  // Blink's RTCDataChannel.send copies the bytes into its own buffer before it returns (rtc_data_channel.cc).
  return simplePeerTransport({ createPeer: (o) => new Peer(o), waitForDrain: waitForLowEvent, sendCopies: true }, options);
}
