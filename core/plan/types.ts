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
  hash: string;
  blockSize: number;
  blocks: string[];
  /** What the target holds there now, if anything: it goes to versions before it is replaced. */
  replaces: 'file' | 'directory' | null;
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
  reason: 'same-source' | 'file-source-target' | 'unknown-source' | 'read-only-target' | 'name-refused' | 'unreadable';
  detail?: string;
}

export interface Plan {
  actions: Action[];
  summary: PlanSummary;
  refusals: Refusal[];
}
