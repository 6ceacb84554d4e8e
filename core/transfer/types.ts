/** Outcome of a synchronization run. */
import type { Action } from '../plan/types.ts';
import type { FsErrorCode } from '../errors.ts';

export interface ActionFailure {
  action: Action;
  code: FsErrorCode;
  message: string;
}

export interface SyncProgress {
  /** Actions finished (done or failed) out of the total. */
  actionsDone: number;
  actionsTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes written per second since the start. */
  rate: number;
  /** Path being processed now, if any. */
  current?: string;
}

export interface RunResult {
  startedAt: number;
  endedAt: number;
  /** The versions folder name of this run: `.quintet/versions/<runId>/` in each target. */
  runId: string;
  done: number;
  failures: ActionFailure[];
  bytesWritten: number;
  cancelled: boolean;
}
