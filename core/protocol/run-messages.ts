/** The run's wire schema (v1, issue 6): inventories and the plan in compressed parts, progress, results, block requests. */
import * as v from 'valibot';
import { MAX_BLOCK_SIZE } from '../inventory/blocks.ts';
import { isPeerPath, MAX_PEER_PATH } from '../own-folder.ts';
import { CONTINUOUS_MESSAGES, type ContinuousMessage } from './continuous-messages.ts';

const Version = v.pipe(v.number(), v.integer(), v.minValue(1));
const RunId = v.pipe(v.string(), v.maxLength(64));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const Code = v.pipe(v.string(), v.regex(/^[A-E][1-9][0-9]?$/));

/** A data-channel message is at most 256 KiB (Chromium's SCTP max-message-size); a part's base64 stays under 200 KiB. */
export const PART_BYTES = 150 * 1024;
/** Parts of one blob at most (150 KiB × 2,048 = 300 MiB compressed: far above any inventory of 1M files). */
export const MAX_PARTS = 2048;
/** Blocks one request may ask for. */
export const MAX_REQUEST_BLOCKS = 64;
/** Bytes one request may ask for: the owner refuses more blocks than fit (one block always fits, whatever its size). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

const Part = {
  v: Version,
  run: RunId,
  seq: v.pipe(Count, v.maxValue(MAX_PARTS - 1)),
  count: v.pipe(Count, v.minValue(1), v.maxValue(MAX_PARTS)),
  data: v.pipe(v.string(), v.maxLength(Math.ceil((PART_BYTES * 4) / 3) + 4), v.regex(/^[A-Za-z0-9_-]*$/)),
};

/** One part of the sender's own inventories (compact JSON, compressed; core/transfer/compact-inventory.ts). */
export const InventoryPartMessage = v.object({ type: v.literal('inventory-part'), ...Part });
/**
 * One part of the sender's inventory delta (core/transfer/inventory-delta.ts, §12): what changed in its inventories
 * since those it sent in round `base` (named inside the blob), for every member that lists `inventory-delta`.
 */
export const InventoryDeltaPartMessage = v.object({ type: v.literal('inventory-delta-part'), ...Part });
/** To the sender of a delta this member could not apply (another base, a digest that differs): its whole inventories of `run`. */
export const InventoryFullMessage = v.object({ type: v.literal('inventory-full'), v: Version, run: RunId });
/** Leader only: one part of the plan of sync run `run` (core/cloud/run/cloud-run-plan.ts); `start-sync` follows. */
export const PlanPartMessage = v.object({ type: v.literal('plan-part'), ...Part });

/** Where a member stands in the current step: its inventory or its share of the synchronization. */
export const RunProgressMessage = v.object({
  type: v.literal('run-progress'),
  v: Version,
  run: RunId,
  stage: v.picklist(['inventory', 'sync']),
  files: Count,
  filesTotal: Count,
  bytes: Count,
  bytesTotal: Count,
  /** Bytes per second since the step started. */
  rate: v.pipe(v.number(), v.minValue(0)),
  done: v.boolean(),
  /** Stage `inventory`, once the member's walks are over: files and bytes hashed of those its indexes did not know. */
  hashing: v.optional(v.object({ files: Count, filesTotal: Count, bytes: Count, bytesTotal: Count })),
  /** The item being worked on, `<code>/<path>`: shown in the others' progress line, never used as a path. */
  current: v.optional(v.pipe(v.string(), v.maxLength(MAX_PEER_PATH + 8))),
});
export type RunProgressMessage = v.InferOutput<typeof RunProgressMessage>;

/** Why an action did not complete: an FsError code, `plan-mismatch` (refused by this member's check) or `member-left`. */
export const ResultCode = v.picklist(['not-found', 'permission-denied', 'no-space', 'invalid-name', 'type-mismatch', 'exists', 'changed', 'corrupt', 'cancelled', 'link', 'special', 'io', 'plan-mismatch', 'member-left']);
export type ResultCode = v.InferOutput<typeof ResultCode>;

/** A member's outcome for the plan's actions it executed (indices into the plan); anything not listed was skipped. */
export const RunResultMessage = v.object({
  type: v.literal('run-result'),
  v: Version,
  run: RunId,
  done: v.pipe(v.array(Count), v.maxLength(1_000_000)),
  failed: v.pipe(v.array(v.object({ i: Count, code: ResultCode, message: v.pipe(v.string(), v.maxLength(200)) })), v.maxLength(100_000)),
  skipped: v.pipe(v.array(Count), v.maxLength(1_000_000)),
  bytes: Count,
  ms: Count,
  /** The leader stopped the run before this member's share ended: whatever it did not finish is in `skipped`. */
  stopped: v.optional(v.boolean()),
  /**
   * This member's targets it had no write permission on when its share started: every action on them is in `skipped`
   * (reason 'permission'), none was attempted. The owner grants it with a click on its own page, then A re-runs.
   */
  denied: v.optional(v.pipe(v.array(Code), v.maxLength(99))),
  /** What the retention cleanup at the start of this member's share removed, per own target (only where it did something). */
  retention: v.optional(v.pipe(v.array(v.object({ source: Code, versions: Count, bytes: Count, failed: Count })), v.maxLength(99))),
  /** Files this member wrote with their source's modification time (`times`) and permission bits (`modes`): a Node member. */
  kept: v.optional(v.object({ times: Count, modes: Count })),
  /**
   * This member's targets whose folders could not be flushed to disk at the end of its share (a Node member's fsync,
   * core/transfer/apply.ts `flushAll`): what it wrote there may not survive a power cut. The files stay.
   */
  unflushed: v.optional(v.pipe(v.array(v.object({ source: Code, message: v.pipe(v.string(), v.maxLength(200)) })), v.maxLength(99))),
});
export type RunResultMessage = v.InferOutput<typeof RunResultMessage>;

/** Asks the member owning `source` for blocks of the file with content `hash` (blocks arrive as binary pieces). */
export const BlocksGetMessage = v.object({
  type: v.literal('blocks-get'),
  v: Version,
  run: RunId,
  req: Count,
  source: Code,
  path: v.pipe(v.string(), v.maxLength(MAX_PEER_PATH), v.check(isPeerPath)), // never Quintet's own folder (own-folder.ts)
  hash: Hex64,
  size: Count,
  blockSize: v.pipe(Count, v.minValue(1), v.maxValue(MAX_BLOCK_SIZE)),
  indices: v.pipe(v.array(Count), v.minLength(1), v.maxLength(MAX_REQUEST_BLOCKS)),
  /** The hash of each requested block. Size, block size and hashes must be the owner's inventory's, or it refuses. */
  hashes: v.pipe(v.array(Hex64), v.maxLength(MAX_REQUEST_BLOCKS)),
});
export type BlocksGetMessage = v.InferOutput<typeof BlocksGetMessage>;

/**
 * The server could not serve request `req`: the file changed or vanished, the request is not in the plan of a run it
 * serves or disagrees with its inventory (`refused`), or too many of the requester's requests wait already (`busy`:
 * ask again once one of them is answered).
 */
export const BlocksErrorMessage = v.object({
  type: v.literal('blocks-error'),
  v: Version,
  run: RunId,
  req: Count,
  code: v.picklist(['not-found', 'changed', 'refused', 'io', 'busy']),
});
export type BlocksErrorMessage = v.InferOutput<typeof BlocksErrorMessage>;

/**
 * Leader only: stop sync run `run`. Every member cancels its pulls and aborts its writers (nothing partial becomes
 * visible, versions are put back) and reports what it did not finish as skipped, with `stopped` set.
 */
export const StopSyncMessage = v.object({ type: v.literal('stop-sync'), v: Version, run: RunId });
export type StopSyncMessage = v.InferOutput<typeof StopSyncMessage>;

/**
 * Leader only: undo order `order`. Every member undoes, on each of its own folders, what its share of `run` (a sync, or
 * an earlier undo order) did there (core/versions/undo.ts: item by item, hash checked) and answers `undo-result`.
 */
export const UndoRunMessage = v.object({ type: v.literal('undo-run'), v: Version, order: RunId, run: RunId });
export type UndoRunMessage = v.InferOutput<typeof UndoRunMessage>;

/** Why undo left an item alone (core/versions/undo.ts `LeftAloneReason`). */
export const LeftAloneCode = v.picklist(['changed', 'gone', 'not-empty', 'occupied', 'no-folder', 'version-gone', 'failed']);
/** Paths listed per folder in an undo result; past it only counted (`more`). */
export const MAX_UNDO_PATHS = 1000;
const Path = v.pipe(v.string(), v.maxLength(MAX_PEER_PATH));
const Paths = v.pipe(v.array(Path), v.maxLength(MAX_UNDO_PATHS));

/** A member's outcome of undo order `order`, per own folder: what was put back, removed, left alone (and why). */
export const UndoResultMessage = v.object({
  type: v.literal('undo-result'),
  v: Version,
  order: RunId,
  /** A run of this member was under way: it undid nothing. */
  busy: v.optional(v.boolean()),
  sources: v.pipe(v.array(v.object({
    code: Code,
    restored: Paths,
    removed: Paths,
    leftAlone: v.pipe(v.array(v.object({ path: Path, reason: LeftAloneCode })), v.maxLength(MAX_UNDO_PATHS)),
    /** Items past the lists' limit, all kinds together. */
    more: Count,
    /** The folder's manifest of that run could not be read or the undo failed as a whole (a short message). */
    error: v.optional(v.pipe(v.string(), v.maxLength(200))),
  })), v.maxLength(99)),
});
export type UndoResultMessage = v.InferOutput<typeof UndoResultMessage>;

/**
 * Leader only, to every member: member `letter` said nothing of round or sync `run` (no `run-progress`, no inventory
 * part, no `run-result`) for the deadline (core/cloud/run/silence.ts). Of an inventory round, every member compares
 * without that member's inventories; of a sync, every member stops waiting for its result (its actions count as not
 * confirmed). What it sends of `run` later is not taken.
 */
export const SilentMessage = v.object({ type: v.literal('silent'), v: Version, run: RunId, letter: v.picklist(['A', 'B', 'C', 'D', 'E']) });
export type SilentMessage = v.InferOutput<typeof SilentMessage>;

/** Every run message (a subset of the mesh messages). */
export const RUN_MESSAGES = [InventoryPartMessage, InventoryDeltaPartMessage, InventoryFullMessage, PlanPartMessage, RunProgressMessage, RunResultMessage, BlocksGetMessage, BlocksErrorMessage, StopSyncMessage, UndoRunMessage, UndoResultMessage, SilentMessage, ...CONTINUOUS_MESSAGES] as const;
export type RunMessage =
  | v.InferOutput<typeof InventoryPartMessage>
  | v.InferOutput<typeof PlanPartMessage>
  | v.InferOutput<typeof InventoryDeltaPartMessage>
  | v.InferOutput<typeof InventoryFullMessage>
  | RunProgressMessage
  | RunResultMessage
  | BlocksGetMessage
  | BlocksErrorMessage
  | StopSyncMessage
  | UndoRunMessage
  | UndoResultMessage
  | SilentMessage
  | ContinuousMessage;
export const RUN_MESSAGE_TYPES: ReadonlySet<string> = new Set(RUN_MESSAGES.map((m) => m.entries.type.literal));
