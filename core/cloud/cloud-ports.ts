/** The ports a Cloud Session needs beyond core/ports.ts: a signaling connection and what it takes to build one. */
import type { ClientMessage, IceServer, MessageRate, ServerMessage, WelcomeMessage } from '../protocol/signal-messages.ts';
import type { Clock, Random, Timers } from '../ports.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import type { Transport } from '../mesh/transport.ts';

/** What a signaling connection reports: validated server messages, then one close. */
export interface SignalHandlers {
  onMessage(message: ServerMessage): void;
  /** The WebSocket closed: `code` and `reason` as in core/protocol/close-codes.ts (1006 for a network failure). */
  onClose(code: number, reason: string): void;
}

/** One WebSocket to the signaling server. The adapter keeps it alive (ping every idleTimeoutMs / 3). */
export interface SignalConnection {
  send(message: ClientMessage): void;
  close(): void;
}

/**
 * Opens signaling connections: `session` null creates a session, otherwise joins that one. A standing group's
 * rendezvous (`g-…`) is joined the same way, or created under that name with `create: true` (docs/protocol.md §11).
 */
export interface SignalConnector {
  connect(options: { session: string | null; create?: boolean; resume?: ResumeTicket; handlers: SignalHandlers }): SignalConnection;
}

/** Taking a held slot back (docs/signaling-protocol.md, Resume): the old member ID and the server's single-use token. */
export interface ResumeTicket {
  was: string;
  token: string;
}

/** Everything a Cloud Session is built from (one options object; docs/architecture.md). */
export interface CloudDeps {
  subtle: SubtleLike;
  /** Cryptographic randomness (crypto.getRandomValues): passwords and session keys come from it. */
  random: Random;
  /** Time, for the validator's brake on repeated failed joins (core/cloud/join/join-brake.ts) and the mesh's stall deadline. */
  clock: Clock & Timers;
  signal: SignalConnector;
  /** The mesh transport, built once the server has said who we are and which ICE servers to use. */
  transport(options: { self: string; iceServers: IceServer[] }): Transport;
  /** This device's name as the member chose it (shown to others). */
  deviceName: string;
  /**
   * The protocol version this member announces in its profile: MESH_PROTOCOL_VERSION unless given. Only tests give
   * another (the CLI's QUINTET_TEST_ANNOUNCE_PROTOCOL, docs/cli.md), to play a member of another version.
   */
  announcedProtocol?: number;
  /**
   * The protocol additions this member announces (ProfileMessage.features): MEMBER_FEATURES unless given. Only tests
   * and benchmarks give fewer (the CLI's QUINTET_TEST_FEATURES, docs/cli.md), to play a member from before them.
   */
  features?: readonly string[];
  /**
   * Lanes this member opens to each peer that takes them, at once and whatever the path (core/mesh/lanes.ts); 0: none.
   * Unset: adaptive (only while every lane stays full on a path with a round trip). Only tests and benchmarks set it
   * (the CLI's QUINTET_TEST_LANES, docs/cli.md).
   */
  lanes?: number;
  /**
   * The pace of what this member sends to the signaling server, instead of its share of the rates the server announced
   * (core/cloud/signal-pacer.ts). Only tests set it (the CLI's QUINTET_TEST_SIGNAL_RATE, docs/cli.md), to play a member
   * that sends faster than a strict server takes.
   */
  signalRate?: MessageRate;
}

/** What the session learned from the server's welcome, kept for the UI. */
export type Welcome = WelcomeMessage;
