/** What a cloud run reports (events) and is built from (options). */
import type { BlobDecoder, BlockCodec, Clock, Compressor, Hasher, SourceObserver, Store } from '../../ports.ts';
import type { Comparison } from '../../compare/types.ts';
import type { TargetTraits } from '../../names/names.ts';
import type { RunProgressMessage, RunResultMessage, UndoResultMessage } from '../../protocol/run-messages.ts';
import type { CloudSession } from '../cloud-session.ts';
import type { RunState } from './cloud-run-machine.ts';
import type { ResolvedPlan } from './cloud-run-plan.ts';
import type { LocalChange } from './local-changes.ts';

/** What a run reports to the UI (and to scripts through the page's handle). */
export type CloudRunEvents = {
  'state.changed': [state: RunState];
  /** A member's progress (its inventory or its share of the sync), this member's own included. */
  progress: [member: string, progress: RunProgressMessage];
  'comparison.ready': [comparison: Comparison];
  /** A member's result for the plan's actions it is the target of. */
  result: [member: string, result: RunResultMessage];
  /** The plan of the current sync as this member resolved it (the UI shows results against it). */
  plan: [plan: ResolvedPlan];
  /** Something of the run was refused or failed as a whole (e.g. a plan that does not match this member's comparison). */
  problem: [reason: string];
  /** A member's outcome of the leader's current undo order (this member's own included). */
  'undo-result': [member: string, result: UndoResultMessage];
  /** This member's local changes (receive-only role) after a sync or a revert (cloud-run.ts localChanges). */
  'local.changed': [changes: LocalChange[]];
  /**
   * The round goes on without member `member` (the leader's `silent`: it said nothing for the deadline): left out of
   * the comparison (`inventory`), or its result no longer awaited, its actions not confirmed (`sync`).
   */
  'member.silent': [member: string, step: 'inventory' | 'sync'];
  /** This member's folder `code` may now be written (its user allowed it): continuous synchronization runs a round. */
  'write.allowed': [code: string];
};

export interface CloudRunOptions {
  session: CloudSession;
  hasher: Hasher;
  store: Store;
  clock: Clock;
  compressor: Compressor;
  /** Where peers' inventories and plans are inflated and parsed (a worker in the browser); in this thread by default. */
  decoder?: BlobDecoder;
  /** Compresses and inflates file blocks between members (`block-deflate`); fflate in this thread unless given. */
  blockCodec?: BlockCodec;
  targetTraits?: TargetTraits;
  copyConcurrency?: number;
  /** Per-file bytes requested ahead from the owner (core/transfer/remote-blocks.ts). */
  windowBytes?: number;
  /** The platform's change notifications: a round started by hand then looks again only at what changed (§3.1). */
  observer?: SourceObserver;
}
