/** Outcome of a synchronization run. */
import type { Action, ConflictRecord, Refusal } from '../plan/types.ts';
import type { FsErrorCode } from '../errors.ts';
import type { RetentionReport } from '../versions/retention-run.ts';

export interface ActionFailure {
  action: Action;
  code: FsErrorCode;
  message: string;
  /** Set when the action was skipped because the directory it lies in could not be created (or replaced). */
  blockedBy?: string;
}

/** A file the run wrote and verified, with the stat read back: feeds the target's index so it is not hashed again. */
export interface WrittenFile {
  /** Target source code. */
  target: string;
  path: string;
  size: number;
  mtime: number;
  blockSize: number;
  blocks: string[];
  hash: string;
  /** What stood at the path before, and where it was kept (the run's manifest lists it). */
  replaced?: { kind: 'file' | 'directory'; kept: string };
  /** Whether the writer gave it its source's modification time and permission bits (FileWriter.keep; Node only). */
  meta?: { mtime: boolean; mode: boolean };
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
  /** Every file written and verified by the run (for the targets' indexes). */
  written?: WrittenFile[];
  /** The actions that completed, in the order they did (the session derives the new base from them). */
  applied?: Action[];
  /** Conflicts of a two-way plan, copied from it so the result lists them. */
  conflicts?: ConflictRecord[];
  /** Items seen but left out (unreadable, a name the target refuses, a refused permission): the result never says "complete" over them. */
  skipped?: Refusal[];
  /** Targets whose run manifest (`.quintet/runs/<runId>.json`) could not be written, with why: that run cannot be undone there. */
  unrecorded?: Array<{ target: string; message: string }>;
  /**
   * Targets whose manifest went under another id than `runId`: a run of the same second by another process had taken
   * it meanwhile (core/versions/manifest.ts writeManifest). An undo of this run there reads that one.
   */
  manifestRuns?: Record<string, string>;
  /** Targets whose changed folders could not be flushed to disk (`DirSink.flush`), with why: a power cut may undo names written there. */
  unflushed?: Array<{ target: string; message: string }>;
  /** What the retention cleanup at the start of the run removed, per target (only targets where it did something). */
  retention?: RetentionReport[];
}
