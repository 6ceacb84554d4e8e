/** Synchronization actions and the plan the user confirms. */

/** Create a directory on the target. */
export interface MkdirAction {
  type: 'mkdir';
  target: string;
  path: string;
}

/** Copy a file's content from one source to another; whatever stood at the target path is versioned first. */
export interface CopyAction {
  type: 'copy';
  from: string;
  target: string;
  /** Path in the `from` source. */
  path: string;
  /** Path in the target source (differs from `path` only for single-file sources). */
  targetPath: string;
  size: number;
  /** The source file's mtime at inventory; apply refuses ('changed') a file whose size or mtime moved since. */
  mtime?: number;
  /** The source file's permission bits at inventory, where its member has them (a Node member keeps them). */
  mode?: number;
  hash: string;
  blockSize: number;
  blocks: string[];
  /** What the target holds there now, if anything: it goes to versions before it is replaced. */
  replaces: 'file' | 'directory' | null;
  /**
   * A conflict copy (two-way): the losing version written under its `name.conflict-…` name. Those
   * read from their own source run before anything else, while the original is still in place.
   */
  conflict?: boolean;
}

/** Delete an item on the target, after keeping it under versions. */
export interface DeleteAction {
  type: 'delete';
  target: string;
  path: string;
  kind: 'file' | 'directory';
}

export type Action = MkdirAction | CopyAction | DeleteAction;

/** What the confirmation dialog states. */
export interface PlanSummary {
  copies: number;
  /** Of the copies, how many replace an existing item. */
  overwrites: number;
  directories: number;
  deletions: number;
  /** Bytes to copy. */
  bytes: number;
}

/** An action the consistency check refused, with the reason as a code the UI translates. */
export interface Refusal {
  path: string;
  reason: RefusalReason;
  /** A source code, a name code (core/names) or another short code, depending on the reason. */
  detail?: string;
}

/** Why an action was refused; the UI translates each. */
export type RefusalReason =
  | 'same-source' // source and target are one
  | 'file-source-target' // a single-file source cannot be a target
  | 'unknown-source'
  | 'read-only-target'
  | 'name-refused' // the target cannot hold this name (detail: the names code)
  | 'unreadable' // not read during the inventory
  | 'permission' // the target's write permission was refused (detail: the target code)
  | 'ambiguous' // the row matches two items of one source (Flat duplicates, case twins)
  | 'holds-hidden-files' // a directory holding files the data type hides is never deleted whole
  | 'target-is-source' // a target that is also the source of another action on the same item
  | 'identical-content' // copying content the target already has
  | 'contradictory' // two actions on one item that cannot both happen
  | 'nothing-to-copy' // the source of a copy lacks the item
  | 'nothing-to-delete' // the target of a delete lacks the item
  | 'kind-mismatch' // e.g. "copy content only" onto a directory, "create directory" from a file
  | 'send-only' // the target is a send-only member's source: never written (detail: the target code)
  | 'receive-only' // the origin is a receive-only member's source: its content never spreads (detail: the origin code)
  | 'local-change' // a receive-only member's own change, not carried over; it may revert it (detail: its source code)
  | 'emptied'; // Two-way: the source holds nothing where its base held items (unmounted?): left out (detail: its code)

/** A conflict two-way resolved: which version stayed at `path`, and where the others were kept. */
export interface ConflictRecord {
  path: string;
  /** The source whose version stays at `path` ('' when a directory won over files). */
  winner: string;
  /** The losing versions, each kept under its conflict name on every source. */
  losers: Array<{ source: string; path: string }>;
}

export interface Plan {
  actions: Action[];
  summary: PlanSummary;
  refusals: Refusal[];
  /** Two-way: conflicts found and how they are resolved (listed in the result). */
  conflicts?: ConflictRecord[];
  /**
   * Two-way with a receive-only member: what would undo each of its local changes (take the others' state back onto
   * its own source). Never run by the sync itself; the owner runs the ones it chooses ("Revert"), versioned as always.
   */
  held?: Action[];
}

/** Presets: Mirror and Update from one source to another, Two-way across all sources. */
export type Preset =
  | { kind: 'mirror'; from: string; to: string }
  | { kind: 'update'; from: string; to: string }
  | { kind: 'two-way' };
