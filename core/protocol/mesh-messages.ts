/** The mesh wire schema (v1): messages members exchange over their sealed data channels, and the join roster. */
import * as v from 'valibot';
import { RUN_MESSAGES } from './run-messages.ts';

/** Version carried by every mesh message; a member drops (and reports) messages of a newer major version. */
export const MESH_PROTOCOL_VERSION = 1;

/** A member's status as shown in its block (manual figure E, item 11). */
export const MemberStatus = v.picklist(['waiting', 'inventory', 'ready', 'syncing', 'synced']);
export type MemberStatus = v.InferOutput<typeof MemberStatus>;

/** One data source as others see it: its name and kind only. No file name inside it leaves the member before an inventory. */
export const SourceEntry = v.object({
  name: v.pipe(v.string(), v.maxLength(255)),
  kind: v.picklist(['file', 'directory']),
});
export type SourceEntry = v.InferOutput<typeof SourceEntry>;

const Version = v.pipe(v.number(), v.integer(), v.minValue(1));
const RunId = v.pipe(v.string(), v.maxLength(64));

/**
 * Additions to v1 a member reads, named in its profile (absent: none; a member from before has no `features` and
 * drops the key unread). `inventory-modes`: inventory file items may carry permission bits (docs/protocol.md §10.5).
 * `inventory-delta`: it takes `inventory-delta-part` and answers one it cannot apply with `inventory-full` (§12).
 */
export const INVENTORY_MODES = 'inventory-modes';
export const INVENTORY_DELTA = 'inventory-delta';
/** `block-deflate`: it reads compressed block pieces (block-frame.ts DEFLATED_FRAME_KIND; §10.4). Blocks go compressed only to it. */
export const BLOCK_DEFLATE = 'block-deflate';
/**
 * `mesh-lanes`: it takes extra peer connections ("lanes") from a peer, carrying that peer's block pieces under their own
 * keys (core/mesh/lanes.ts, docs/protocol.md Mesh, Lanes). A member opens lanes only toward one that announced it.
 */
export const MESH_LANES = 'mesh-lanes';
/**
 * The member loses a lane alone and says so on lane 0 (core/mesh/lane-notice.ts): between two such members a lost lane
 * no longer takes the pair down (docs/protocol.md §8 Lanes, Failure). Without it on either side, it still does.
 */
export const LANE_LOSS = 'lane-loss';
/**
 * `inventory-whole`: as leader it marks every `start-inventory` that must walk whole (`whole: true`: its "Look at every
 * file again", continuous full rounds). A member walks partially where its observer allows (§3.1) only in a round
 * started by a leader that announced it; a leader from before sends full rounds unmarked, so they are walked whole.
 */
export const INVENTORY_WHOLE = 'inventory-whole';
/**
 * `left-out`: it reads the leader's `left-out` (core/protocol/continuous-messages.ts): which sources continuous rounds
 * leave out. A leader sends it only to members that announced it, so a member from before reports no unknown type.
 */
export const LEFT_OUT = 'left-out';
/**
 * `silent`: it reads the leader's `silent` (run-messages.ts): a round goes on without a member that said nothing. A
 * leader cuts a silent member only when every other member announced it: one from before would wait for ever.
 */
export const SILENT = 'silent';
export const MEMBER_FEATURES: readonly string[] = [INVENTORY_MODES, INVENTORY_DELTA, BLOCK_DEFLATE, MESH_LANES, LANE_LOSS, INVENTORY_WHOLE, LEFT_OUT, SILENT];

/** Who I am: device name, sources, status. Sent to each peer when the channel opens and on every change. */
export const ProfileMessage = v.object({
  type: v.literal('profile'),
  v: Version,
  name: v.pipe(v.string(), v.maxLength(64)),
  sources: v.pipe(v.array(SourceEntry), v.maxLength(64)),
  status: MemberStatus,
  /**
   * The Quintet protocol version this member speaks (MESH_PROTOCOL_VERSION), announced so a connection test can say
   * which member disagrees (docs/protocol.md §11). Absent from members older than standing groups.
   */
  protocol: v.optional(Version),
  features: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(16))),
  /**
   * The public key (Ed25519, base64url) of this member's resume identity: back from a reload after a rotation, it
   * proves itself to the leader with it (docs/protocol.md §8, Reload). Absent from members older than it.
   */
  resumeKey: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/))),
});
/** Leader only: session settings (the settings themselves belong to the sync engine; opaque here). */
export const SettingsMessage = v.object({ type: v.literal('settings'), v: Version, settings: v.record(v.string(), v.unknown()) });
/** Leader only: every member inventories its sources. */
/**
 * `scope: 'changed'` (a continuous round, §12): a member may look again only at what its watcher named since its last
 * inventory. Absent (a run by hand, a reconciliation round, a leader from before it): a member walks each folder whole,
 * or only where its observer reported changes when it can vouch for the rest (§3.1). `whole: true` (the leader's "Look
 * at every file again"): every folder walked whole. A member from before either field drops it (valibot objects strip
 * unknown keys) and walks whole.
 */
export const StartInventoryMessage = v.object({
  type: v.literal('start-inventory'), v: Version, run: RunId, scope: v.optional(v.literal('changed')), whole: v.optional(v.literal(true)),
});
/** Leader only: the synchronization starts. */
export const StartSyncMessage = v.object({ type: v.literal('start-sync'), v: Version, run: RunId });
/** Leader only: reset the session, keeping members and sources. */
export const RestartMessage = v.object({ type: v.literal('restart'), v: Version });
/**
 * Leader only: the new session key after a member left or a restart (sent per pair, under the old epoch's channel
 * keys), with the session password, which the leader replaces whenever a member leaves (docs/security.md).
 */
export const RekeyMessage = v.object({
  type: v.literal('rekey'),
  v: Version,
  epoch: v.pipe(v.number(), v.integer(), v.minValue(0)),
  key: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)),
  password: v.optional(v.pipe(v.string(), v.regex(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/))),
});
const MemberId = v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/));
/**
 * Leader only: the members in join order as the leader admitted them, sent to everyone at each admission and to each
 * member whose channel opens. A member the server says `joined` becomes a member only once the leader lists it here.
 */
export const RosterMessage = v.object({
  type: v.literal('roster'), v: Version, members: v.pipe(v.array(MemberId), v.minLength(1), v.maxLength(5)),
  /** The session password, in the roster sent to a member whose channel opens: a member back from a reload keeps none. */
  password: v.optional(v.pipe(v.string(), v.regex(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/))),
});
/** The sender leaves the session on purpose (its signaling `left` follows). */
export const ByeMessage = v.object({ type: v.literal('bye'), v: Version });
/** Mesh ID → the member's connection ID on the server, for members whose connection changed in a re-home (at most five). */
const Aliases = v.pipe(v.record(MemberId, MemberId), v.check((r) => Object.keys(r).length <= 5, 'at most five aliases'));
/**
 * Leader only (docs/protocol.md §8, Signaling offline): the session lives on a fresh signaling server now, where the
 * leader's connection is `leader`; `aliases` maps each re-homed member's mesh ID to its connection there. A member
 * still offline knocks there as a candidate and claims its new connection (`signal-claim`).
 */
export const SignalHomeMessage = v.object({ type: v.literal('signal-home'), v: Version, leader: MemberId, aliases: Aliases });
/**
 * To the leader: the candidate connection `id` on the fresh server is the sender's own; the leader admits it as that
 * member. With `admitted`, to every other member once it is in: its connection there is `id` (it speaks for itself only).
 */
export const SignalClaimMessage = v.object({ type: v.literal('signal-claim'), v: Version, id: MemberId, admitted: v.optional(v.literal(true)) });

/** Every mesh message. Unknown keys are dropped; an unknown `type` is dropped and reported (a newer member). */
export const MeshMessage = v.variant('type', [
  ProfileMessage, SettingsMessage, StartInventoryMessage, StartSyncMessage, RestartMessage, RekeyMessage, RosterMessage, ByeMessage, SignalHomeMessage, SignalClaimMessage, ...RUN_MESSAGES,
]);
export type MeshMessage = v.InferOutput<typeof MeshMessage>;

/** The message types only the current leader (member A) may send; every member refuses them from anyone else. */
export const LEADER_ONLY_TYPES: ReadonlySet<MeshMessage['type']> = new Set(['settings', 'start-inventory', 'start-sync', 'restart', 'rekey', 'roster', 'plan-part', 'stop-sync', 'undo-run', 'pause-session', 'left-out', 'silent', 'signal-home']);

/**
 * Sealed inside the join handover (core/crypto `Handover.roster`): the members in join order as the validator knows
 * them (the newcomer's letters and leader come from here, never from the server's `admitted`), and the session
 * password, so that any member can validate the next candidate once it becomes A.
 */
export const JoinRoster = v.object({
  v: Version,
  password: v.pipe(v.string(), v.maxLength(64)),
  /** Standing groups: the hub's Ed25519 signature over this run and this join (base64url), docs/protocol.md §11. */
  hubProof: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{86}$/))),
  members: v.pipe(v.array(MemberId), v.minLength(1), v.maxLength(5)),
  /** After a re-home: members' connection IDs on the server where they differ from their mesh IDs (absent before any). */
  aliases: v.optional(Aliases),
});
export type JoinRoster = v.InferOutput<typeof JoinRoster>;
