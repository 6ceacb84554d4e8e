/**
 * What every unattended run leaves behind (issue 12): one record per run, the same shape in the CLI's history
 * ($QUINTET_HOME) and the PWA's IndexedDB, exported as JSON (an array of these) and CSV.
 */

/** ok: all done; partial: done with failed or skipped items; failed: did not complete; stopped: SIGINT/SIGTERM or
 * "Stop"; no-members: the hub waited its maximum wait and nobody came. */
export type RunStatus = 'ok' | 'partial' | 'failed' | 'stopped' | 'no-members';

/** Counts per action kind (the engine's action types: copy, mkdir, delete) and per outcome. */
export interface RunCounts {
  planned: number;
  done: number;
  failed: number;
  skipped: number;
  /** Planned actions by kind, e.g. { copy: 12, delete: 3 }. */
  byAction: Record<string, number>;
}

/** One item that was not synchronized, with why. */
export interface RunError {
  /** Source code (A1, B2 …) where it happened, when known. */
  source?: string;
  path: string;
  reason: string;
}

/** One member's share in a cloud run (the hub's record holds one per member present). */
export interface RunMemberShare {
  letter: string;
  name: string;
  counts: RunCounts;
  bytes: number;
}

export interface RunRecord {
  /** Unique, sortable: the start as ISO time plus a random suffix, e.g. 2026-11-29T02-00-00.000Z-3f9a (runRecordId). */
  id: string;
  profile: string;
  kind: 'local' | 'cloud';
  /** ISO 8601 times. */
  start: string;
  end: string;
  durationMs: number;
  status: RunStatus;
  /** Machine names of the members present and missing (cloud; empty for local). */
  present: string[];
  missing: string[];
  counts: RunCounts;
  perMember: RunMemberShare[];
  /** Bytes written to targets. */
  bytes: number;
  errors: RunError[];
  /** A sentence for the status when it is not ok (why it failed, who stopped it). */
  message?: string;
}

export function emptyCounts(): RunCounts {
  return { planned: 0, done: 0, failed: 0, skipped: 0, byAction: {} };
}
