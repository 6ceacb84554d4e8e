/**
 * The run driver: waits for a profile's schedule, runs its kind's executor, records the run (status, counts, errors)
 * in the history and sends the notices; Stop makes the run in hand 'stopped' and ends the schedule.
 */
import type { Clock, Random, Timers } from '../ports.ts';
import type { Profile } from './profile.ts';
import type { RunRecord, RunStatus } from './run-record.ts';
import type { Notifier, RunExecutor, RunHistory, RunOutcome, StopSignal } from './executor.ts';
import { RunSchedule, WaitWindow, type SchedulePlan } from './schedule.ts';
import { formatWall } from './zoned-time.ts';
import { runRecordId } from './record-from-result.ts';

export interface RunnerPorts {
  clock: Clock;
  timers: Timers;
  random: Random;
  history: RunHistory;
  notifier: Notifier;
}

export interface RunnerOptions {
  profile: Profile;
  /** The records' `profile`: the profile's name, else what the caller calls it (the file's name). */
  name: string;
  executor: RunExecutor;
  schedule: SchedulePlan;
  ports: RunnerPorts;
  signal: StopSignal & { readonly reason?: unknown };
  /** The live log (never part of a record). */
  log(line: string): void;
  /** The runner's own lines in the caller's language (the CLI's catalog); English without it. */
  text?(line: RunnerLine): string;
}

/**
 * What the runner itself says in the live log, as data: core stays free of any catalog, the CLI words it in its
 * language (cli/runner-text.ts). Times are instants with their zone, spans milliseconds.
 */
export type RunnerLine =
  | { key: 'next'; at: number; timeZone: string }
  | { key: 'stoppedBeforeStart' }
  | { key: 'started'; id: string }
  | { key: 'notice'; note: string }
  | { key: 'ended'; id: string; status: RunStatus; done: number; failed: number; skipped: number; bytes: number; missing: string[]; message?: string }
  | { key: 'extended'; ms: number; until: number; timeZone: string }
  | { key: 'extendPending'; ms: number }
  | { key: 'extendRefused' };

/** "30 min", or "45 s" for an extension under a minute (tests, a quick nudge) instead of "0 min". */
export const spanOf = (ms: number): string => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** The English of a runner line (the default; scripts and tests match these words). */
export function runnerLineEn(line: RunnerLine): string {
  switch (line.key) {
    case 'next': return `Next run: ${formatWall(line.at, line.timeZone)}`;
    case 'stoppedBeforeStart': return 'Stopped before the run started: nothing ran, nothing recorded.';
    case 'started': return `Run ${line.id} started`;
    case 'notice': return `Notice: ${line.note}`;
    case 'ended':
      return `Run ${line.id}: ${line.status} — ${line.done} done, ${line.failed} failed, ${line.skipped} skipped, ${line.bytes} bytes`
        + `${line.missing.length > 0 ? `, missing: ${line.missing.join(', ')}` : ''}${line.message ? ` (${line.message})` : ''}`;
    case 'extended': return `Wait for members extended by ${spanOf(line.ms)}: until ${formatWall(line.until, line.timeZone)}`;
    case 'extendPending': return `No wait in progress: the next wait for members will be ${spanOf(line.ms)} longer`;
    case 'extendRefused': return 'this profile does not wait for members (only a cloud hub does)';
  }
}

/** ok unless something was left out: failed when nothing planned got done, partial when some of it did or a member was missing. */
export function statusOf(outcome: RunOutcome): RunStatus {
  if (outcome.status) return outcome.status;
  const c = outcome.counts;
  if (c.planned > 0 && c.done === 0 && c.failed > 0) return 'failed';
  if (c.failed > 0 || c.skipped > 0 || outcome.errors.length > 0 || outcome.missing.length > 0) return 'partial';
  return 'ok';
}

/** "2026-11-29T02-00-00.000Z-3f9a": sorts by start, unique thanks to the random suffix, safe as a file name. */
export function runIdOf(start: number, random: Random): string {
  return runRecordId(start, [...random.bytes(2)].map((b) => b.toString(16).padStart(2, '0')).join(''));
}

const emptyOutcome = (): RunOutcome => ({ present: [], missing: [], counts: { planned: 0, done: 0, failed: 0, skipped: 0, byAction: {} }, perMember: [], bytes: 0, errors: [] });

export class Runner {
  readonly #schedule: RunSchedule;
  #memberWait: WaitWindow | null = null;
  /** Asked with `--extend` before the wait opened: added to the next one. */
  #pendingExtendMs = 0;
  #running = false;

  constructor(private readonly options: RunnerOptions) {
    this.#schedule = new RunSchedule(options.ports, options.schedule);
  }

  #say(line: RunnerLine): string {
    const text = (this.options.text ?? runnerLineEn)(line);
    this.options.log(text);
    return text;
  }

  /** When the next run starts (null: none left). */
  get nextRun(): number | null {
    return this.#running ? null : this.#schedule.peek();
  }

  /** Runs at every time of the schedule until it has none left or the signal is aborted; resolves this process's records. */
  async run(): Promise<RunRecord[]> {
    const { signal, schedule } = this.options;
    const onStop = () => {
      this.#schedule.stop();
      this.#memberWait?.stop();
    };
    if (signal.aborted) onStop();
    signal.addEventListener('abort', onStop, { once: true });
    const records: RunRecord[] = [];
    try {
      for (;;) {
        const next = this.#schedule.peek();
        if (next !== null && next > this.options.ports.clock.now()) this.#say({ key: 'next', at: next, timeZone: schedule.timeZone });
        const at = await this.#schedule.wait();
        if (at === null) break;
        records.push(await this.once());
        if (signal.aborted) break;
      }
    } finally {
      signal.removeEventListener('abort', onStop);
    }
    if (signal.aborted && !this.#running && records.length === 0) this.#say({ key: 'stoppedBeforeStart' });
    return records;
  }

  /** One run now: executes, records, notifies. Never throws for what the run met; it is in the record. */
  async once(): Promise<RunRecord> {
    const { profile, executor, ports, signal, log } = this.options;
    this.#running = true;
    const start = ports.clock.now();
    const id = runIdOf(start, ports.random);
    this.#say({ key: 'started', id });
    let outcome: RunOutcome;
    let message: string | undefined;
    try {
      outcome = await executor.execute(profile, {
        signal, clock: ports.clock, timers: ports.timers, log,
        openWindow: (expected, maxWaitMs) => this.#openMemberWait(expected, maxWaitMs),
      });
      message = outcome.message;
    } catch (error) {
      outcome = { ...emptyOutcome(), status: 'failed' };
      message = error instanceof Error ? error.message : String(error);
    } finally {
      this.#memberWait?.stop();
      this.#memberWait = null;
      this.#running = false;
    }
    const status: RunStatus = signal.aborted ? 'stopped' : statusOf(outcome);
    if (status === 'stopped') message = [typeof signal.reason === 'string' ? `Stopped: ${signal.reason}` : 'Stopped', message].filter(Boolean).join('; ');
    const end = ports.clock.now();
    const record: RunRecord = {
      id, profile: this.options.name, kind: profile.kind, start: new Date(start).toISOString(), end: new Date(end).toISOString(), durationMs: end - start,
      status, present: outcome.present, missing: outcome.missing, counts: outcome.counts, perMember: outcome.perMember, bytes: outcome.bytes, errors: outcome.errors,
    };
    if (message) record.message = message;
    const notes: string[] = [];
    try {
      await ports.history.append(record);
    } catch (error) {
      notes.push(`not recorded in the history: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A notifier never throws by contract; one that does must not end a daily schedule: its reason is noted instead.
    notes.push(...(await ports.notifier.notify(profile, record).catch((error: unknown) => [`notices not sent: ${error instanceof Error ? error.message : String(error)}`])));
    if (notes.length > 0) {
      record.message = [record.message, ...notes].filter(Boolean).join('; ');
      for (const note of notes) this.#say({ key: 'notice', note });
      await ports.history.append(record).catch(() => undefined);
    }
    const c = record.counts;
    this.#say({ key: 'ended', id, status, done: c.done, failed: c.failed, skipped: c.skipped, bytes: record.bytes, missing: record.missing, ...(record.message ? { message: record.message } : {}) });
    return record;
  }

  /**
   * `--extend`: lengthens the wait for members in progress, or the next one. Refused for a profile that never waits
   * for members (local, cloud member).
   */
  extend(ms: number): { ok: boolean; message: string } {
    const { profile, schedule } = this.options;
    if (profile.kind !== 'cloud' || profile.part !== 'hub') return { ok: false, message: (this.options.text ?? runnerLineEn)({ key: 'extendRefused' }) };
    const deadline = this.#memberWait?.extend(ms) ?? null; // null: no wait open (none yet, or it closed)
    if (deadline !== null) {
      return { ok: true, message: this.#say({ key: 'extended', ms, until: deadline, timeZone: schedule.timeZone }) };
    }
    this.#pendingExtendMs += ms;
    return { ok: true, message: this.#say({ key: 'extendPending', ms: this.#pendingExtendMs }) };
  }

  #openMemberWait(expected: readonly string[], maxWaitMs: number): WaitWindow {
    this.#memberWait?.stop();
    this.#memberWait = new WaitWindow(this.options.ports, expected, maxWaitMs + this.#pendingExtendMs);
    this.#pendingExtendMs = 0;
    if (this.options.signal.aborted) this.#memberWait.stop();
    return this.#memberWait;
  }
}
