/** What a Cloud Session shows and reports: members as the UI lists them, its events, what it starts from. */
import type { StallReason } from '../mesh/mesh.ts';
import type { MemberStatus, SourceEntry } from '../protocol/mesh-messages.ts';
import type { IceServer, Limits } from '../protocol/signal-messages.ts';
import type { RunMessage } from '../protocol/run-messages.ts';
import type { SessionSettings } from '../settings/settings.ts';
import type { CloudDeps, SignalConnection } from './cloud-ports.ts';
import type { Letter } from './cloud-roster.ts';
import type { CloudPhase, Refusal } from './cloud-session-machine.ts';
import type { SignalState } from './signal-outage.ts';

/**
 * How the members of a round walk their folders: 'changed', a continuous round (only what each watcher named, §12);
 * 'whole', every folder walked whole (the leader asked); absent, whole unless an observer vouches for the rest (§3.1).
 */
export type InventoryScope = 'changed' | 'whole';

/** Why the session counts a member as departed without its `bye` (CloudEvents `member.dropped`). */
export type DropReason = StallReason | 'leader-dropped' | 'signal-offline';

/** One member as the UI shows it (manual figure E). */
export interface CloudMemberView {
  id: string;
  letter: Letter;
  /** The public address the server sees for that member. */
  address: string;
  /** Device name the member chose ('' until its profile arrived). */
  name: string;
  sources: readonly SourceEntry[];
  status: MemberStatus;
  self: boolean;
  /** Whether this member's channel is open (always true for oneself). */
  connected: boolean;
  /** Reconnecting: the server holds its place while it reloads (or its network is back); its letter is kept. */
  away?: boolean;
  /** The protocol version the member announced in its profile (absent until then, and from older members). */
  protocol?: number;
  /** Additions to the protocol it reads, from its profile (none for a member from before them). */
  features?: readonly string[];
}

/** What a Cloud Session reports to the UI. */
export type CloudEvents = {
  'members.changed': [members: CloudMemberView[]];
  'phase.changed': [phase: CloudPhase];
  'safety.changed': [words: string[]];
  'keys.rotated': [epoch: number];
  /** The session password changed (the leader makes a new one whenever a member leaves); the old invite stops working. */
  'password.changed': [password: string, why?: 'leader-back'];
  /** A mesh message refused by the membership rules (e.g. a leader-only message not from A). */
  refused: [from: string, type: string, refusal: Refusal];
  /** A frame, envelope or message dropped as bad (forged, replayed, malformed). */
  dropped: [from: string, reason: string];
  /**
   * A member this one stopped talking to, and now counts as gone (as if it had left): its channel took nothing for
   * STALL_MS while frames waited (`stalled`), its outbox passed OUTBOX_CAP (`queue-full`), or the leader's roster no
   * longer lists it (`leader-dropped`: the leader dropped it), or its channel closed (or it was reloading) while the
   * signaling server was out of reach, so nothing can bring it back (`signal-offline`).
   */
  'member.dropped': [id: string, reason: DropReason];
  /**
   * The signaling server went out of reach (`offline`: the session goes on over the mesh, no one can join or resume,
   * this member retries), this member's new connection waits for the leader (`rehoming`), or it is back (`online`).
   */
  'signal.changed': [state: SignalState];
  /** `code`: the signaling server's close code when its close ended the session (4429: this member sent too fast). */
  ended: [reason: 'exit' | 'closed', code?: number];
  /** What a reload needs to take this member's place back changed (key, order, token): the page stores it again. */
  'resume.changed': [];
  /** A run message (issue 6), admitted by the membership rules; the run (cloud-run.ts) handles it. */
  'run.message': [from: string, message: RunMessage];
  /** A binary block piece (core/protocol/block-frame.ts). */
  'run.bulk': [from: string, data: Uint8Array];
  /** The round is over (a member left mid-run, or the leader restarted): the table's `reset-run` effect. */
  'run.reset': [];
  /** The leader's start-inventory or start-sync, accepted here (the phase moved). */
  'run.command': [command: 'start-inventory' | 'start-sync', run: string, scope?: InventoryScope];
  /** The leader's settings arrived (or were sent by this member as A), validated where they enter (a refused object keeps the previous one). */
  'settings.changed': [settings: SessionSettings];
};

/** What a session starts from: the server's word on who we are, and the secrets from creation or the join handover. */
export interface CloudSessionInit {
  deps: CloudDeps;
  connection: SignalConnection;
  sessionId: string;
  self: string;
  /** Members in join order (oneself included) with the addresses the server reported. */
  members: { id: string; address: string }[];
  iceServers: IceServer[];
  /** The server's limits from its welcome: what this member sends keeps under its message rates (signal-pacer.ts). */
  limits?: Partial<Limits>;
  password: string;
  sessionKey: Uint8Array;
  epoch: number;
  /** A standing group's run (docs/protocol.md §11): its password is kept when a member leaves, and the hub proves itself. */
  group?: GroupSessionOptions;
  /** The server's single-use token that takes this member's slot back after a reload (absent from an older server). */
  resumeToken?: string;
  /** The leader's settings as this member last applied them (a member back from a reload). */
  settings?: SessionSettings;
  /** After a re-home: members' connection IDs at the server where they differ from their mesh IDs (signal-link.ts). */
  aliases?: Readonly<Record<string, string>>;
  /** The seed of this member's resume identity, kept across a reload (a fresh one otherwise; resume-keys.ts). */
  resumeSeed?: Uint8Array;
}

/**
 * What a page keeps (sessionStorage: a reload keeps it, closing the tab does not) to take its place back: never the
 * password. Validated when read back (core/cloud/join/cloud-resume.ts).
 */
export interface ResumeRecord {
  v: 1;
  sessionId: string;
  /** This member's ID when the record was written (the slot to take back). */
  self: string;
  token: string;
  epoch: number;
  /** The session key of `epoch`, base64url. */
  key: string;
  /** Join order as this member knew it (itself included). */
  order: string[];
  settings: SessionSettings;
  /** After a re-home: this member's connection ID at the server (the slot to take back), when it is not `self`. */
  slot?: string;
  /** After a re-home: members' connection IDs at the server (mesh ID → server ID) where they differ. */
  aliases?: Record<string, string>;
  /**
   * The seed of its resume identity (32 bytes, base64url): proves to the leader that it is this member, to get a key
   * rotated while it was away. Absent from a record written before identities.
   */
  identity?: string;
}

/** What a session of a standing group's run does differently. */
export interface GroupSessionOptions {
  /** Hub only: signs this run and one join's binding (base64url Ed25519 signature), sent in the sealed handover. */
  proveHub?(binding: Uint8Array): Promise<string>;
}
