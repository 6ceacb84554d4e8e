/** What a pair's lanes are given and what they report (lanes.ts): who may have lanes, the options of one pair, the lane signal's shape. */
import type { Timers } from '../ports.ts';
import type { MeshKeys } from './mesh-keys.ts';
import type { Outbox, StallReason } from './outbox.ts';
import type { PeerChannel, Transport } from './transport.ts';

/** What a lane's envelope carries: its number, whether its sender opened it, and the simple-peer signal. */
export interface LaneSignal {
  lane: number;
  mine: boolean;
  data: string;
}

/** Who may have lanes, and what may travel on them. */
export interface LanePolicy {
  /** Whether this member takes lanes from its peers (it announced `mesh-lanes` in its profile). */
  accept: boolean;
  /** Whether `peer` takes lanes (its profile announced `mesh-lanes`); a member from before never gets one. */
  peerAccepts(peer: string): boolean;
  /**
   * Whether `peer` loses a lane alone (its profile announced `lane-loss`): the pair then survives a lane's loss, each
   * side telling the other on lane 0 (lane-notice.ts). Absent or false: a lost lane takes the pair down, as it does there.
   */
  peerMends?(peer: string): boolean;
  /** Whether a message may travel on an extra lane (block pieces): anything else arriving on one is dropped. */
  laneable(data: Uint8Array): boolean;
  /** Test and bench knob (QUINTET_TEST_LANES): open this many lanes to a peer that takes them, whatever the path; 0: none. */
  force?: number;
}

/** What the mesh gives one pair's lanes, and how they reach back into it. */
export interface PairLanesOptions {
  self: string;
  peer: string;
  transport: Transport;
  keys: MeshKeys;
  timers: Timers;
  policy: LanePolicy;
  /** Lane 0: the pair's first channel and its outbox (the round trip is read from it). */
  first: { channel: PeerChannel; outbox: Outbox };
  /** Seals and sends a lane envelope body to the peer through the signaling server. */
  sendSignal(body: string): void;
  /** A lane was lost toward a peer that does not mend (no `lane-loss`): the pair goes down as if lane 0 had. */
  down(stalled?: StallReason): void;
  /** Sends a lane notice to the peer on lane 0, queued behind what is already there and before anything sent after. */
  notify(data: Uint8Array): void;
  deliver(data: Uint8Array): void;
  drop(reason: string): void;
  onShrink(): void;
  /** Counts a channel message that arrived on lane `in-<n>`. */
  received(lane: string, bytes: number): void;
  /** A lane's life (`out-<n>` opened here, `in-<n>` by the peer): what a debug log shows and a lost one counts. */
  report(lane: string, what: LaneEvent, detail?: string): void;
}

/**
 * What happens to one lane: opened (offered or taken), connected, lost (after connecting), failed (before), retired (it
 * made the pair slower: open, but given no more pieces).
 */
export type LaneEvent = 'opened' | 'connected' | 'lost' | 'failed' | 'retired';

/** A lane envelope's body, or null when it is not one (number from 1, `mine` a boolean, `data` text). */
export function parseLaneSignal(body: string): LaneSignal | null {
  try {
    const s = JSON.parse(body) as Partial<LaneSignal>;
    const ok = Number.isInteger(s.lane) && (s.lane as number) >= 1 && typeof s.mine === 'boolean' && typeof s.data === 'string';
    return ok ? (s as LaneSignal) : null;
  } catch {
    return null;
  }
}
