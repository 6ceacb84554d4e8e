/**
 * What runs one unattended run of a profile's kind (local: cli/run-local.ts; cloud hub or member: the cloud side),
 * and the ports the run driver (runner.ts) stores and announces its records through.
 */
import type { Clock, Timers } from '../ports.ts';
import type { Profile } from './profile.ts';
import type { RunRecord, RunStatus } from './run-record.ts';
import type { WaitWindow } from './schedule.ts';

/** An AbortSignal as core sees it (core has no DOM types); a platform AbortSignal satisfies it. */
export interface StopSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * What an executor reports: the record without what the runner knows better (id, profile, kind, times).
 * `status` is optional: without it the runner derives it from the counts and errors (runner.ts `statusOf`); give it
 * when the counts cannot tell ('no-members' after an empty wait, 'failed' when the run could not complete).
 */
export type RunOutcome = Omit<RunRecord, 'id' | 'profile' | 'kind' | 'start' | 'end' | 'durationMs' | 'status'> & { status?: RunStatus };

export interface RunContext {
  /** Aborted by Stop (SIGINT/SIGTERM, the page's button): finish the item in hand, leave nothing half-written, return. */
  signal: StopSignal;
  clock: Clock;
  timers: Timers;
  /** A line for the live log (stderr of the CLI, the page's log panel); never part of the record. */
  log(line: string): void;
  /**
   * Opens the hub's wait for `expected` members, `maxWaitMs` long (plus any `--extend` asked before it opened);
   * `quintet run --extend` reaches it while it is open. The executor calls `arrive`/`leave` and awaits `done`.
   */
  openWindow(expected: readonly string[], maxWaitMs: number): WaitWindow;
}

/**
 * Runs one run of a profile. It never throws for an item that fails (that goes in `errors` and the counts); a throw
 * means the run as a whole failed and becomes a 'failed' record with the message. When `signal` is aborted it returns
 * what was done so far (the runner records it as 'stopped').
 */
export interface RunExecutor {
  execute(profile: Profile, context: RunContext): Promise<RunOutcome>;
}

/** Where run records are kept (files under $QUINTET_HOME/runs for the CLI, IndexedDB in the page). */
export interface RunHistory {
  /** Stores a record; one with the same id is replaced (a notice that failed is noted after the first write). */
  append(record: RunRecord): Promise<void>;
  /** The last `limit` records (all without it), newest first. */
  list(limit?: number): Promise<RunRecord[]>;
  get(id: string): Promise<RunRecord | undefined>;
}

/**
 * Tells people a run ended (webhook, e-mail, a system notification). Never throws: it resolves with one sentence per
 * notice that could not be sent, which the runner adds to the record's message.
 */
export interface Notifier {
  notify(profile: Profile, record: RunRecord): Promise<string[]>;
}
