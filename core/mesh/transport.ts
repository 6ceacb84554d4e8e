/** The Transport port: how the mesh reaches one peer (simple-peer over RTCPeerConnection in browsers, a loopback fake in tests). */

/** What a channel tells its owner. Called by the transport, never re-entrantly from `open`. */
export interface PeerChannelHandlers {
  /** Signaling data (offer, answer, ICE candidate) to carry to the remote side, as opaque text. */
  onSignal(data: string): void;
  /** The data channel is open. */
  onConnect(): void;
  /** One message, as sent (message boundaries are kept, order is kept: a reliable ordered channel). */
  onData(data: Uint8Array): void;
  /** The channel closed, or failed for good (`error` set). Called once. */
  onClose(error?: Error): void;
}

/** One peer-to-peer channel. */
export interface PeerChannel {
  /** Feeds signaling data that came from the remote side. */
  signal(data: string): void;
  /** Sends one message; only after `onConnect`. */
  send(data: Uint8Array): void;
  /**
   * `send` copies the message before it returns (RTCDataChannel.send does: Chromium queues its own copy), so the caller
   * may write its next message into the same buffer (core/mesh/outbox.ts). Unset: each message keeps its own buffer.
   */
  readonly sendCopies?: boolean;
  /** Closes the channel; `onClose` follows. */
  close(): void;
  /** Bytes queued in the channel and not yet handed to the network (RTCDataChannel.bufferedAmount). */
  bufferedAmount?(): number;
  /** Resolves once `bufferedAmount` is at most `bytes` (or the channel closed): the sender's backpressure. */
  drained?(bytes: number): Promise<void>;
  /** The channel's own byte counters (RTCPeerConnection.getStats(), `data-channel` reports): payload on the wire. */
  stats?(): Promise<ChannelStats>;
  /** The round trip of the connection's selected ICE pair in ms (getStats `currentRoundTripTime`), if known. */
  roundTripMs?(): Promise<number | undefined>;
}

/** Bytes a data channel sent and received, as the platform counts them (message payloads, our sealed frames). */
export interface ChannelStats {
  bytesSent: number;
  bytesReceived: number;
}

/** Opens channels. The initiator makes the offer; the other side answers the data it is fed. */
export interface Transport {
  open(options: { peer: string; initiator: boolean; handlers: PeerChannelHandlers }): PeerChannel;
}
