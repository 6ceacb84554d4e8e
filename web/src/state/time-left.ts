/** Time left of a run from smoothed rates of bytes and of actions (an average since the start lags; one tick jumps). */

/** One smoothed counter: where it stood at the last sample and its rate per second (null until two samples). */
export interface RateSample {
  at: number;
  done: number;
  rate: number | null;
}

/** Samples closer than this are merged into the next: a burst of tiny files must not swing the rate. */
const MIN_INTERVAL_MS = 250;

/**
 * The rate after a new sample, as an exponential moving average weighted by time: a sample `halfLifeMs` old counts
 * half as much as a new one, however often progress is reported. `at` in milliseconds.
 */
export function smoothRate(prev: RateSample | null, done: number, at: number, halfLifeMs = 3000): RateSample {
  if (!prev || done < prev.done) return { at, done, rate: null };
  const dt = at - prev.at;
  if (dt < MIN_INTERVAL_MS) return prev;
  const now = ((done - prev.done) * 1000) / dt;
  if (prev.rate === null) return { at, done, rate: now };
  const keep = Math.pow(0.5, dt / halfLifeMs);
  return { at, done, rate: keep * prev.rate + (1 - keep) * now };
}

/**
 * Seconds left: the longer of what the bytes and what the actions still need at their own rates (a run's last
 * actions may be deletions that move no byte). Null while a rate is not known yet; 0 when nothing is left.
 */
export function secondsLeft(parts: ReadonlyArray<{ remaining: number; rate: number | null }>): number | null {
  let left = 0;
  for (const { remaining, rate } of parts) {
    if (remaining <= 0) continue;
    if (rate === null || rate <= 0) return null;
    left = Math.max(left, remaining / rate);
  }
  return left;
}

/** The progress of a run as reported by the engine (SyncProgress's counters). */
export interface RunCounters {
  actionsDone: number;
  actionsTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

/** Follows one run's counters and says its time left. */
export class TimeLeft {
  #bytes: RateSample | null = null;
  #actions: RateSample | null = null;

  update(p: RunCounters, at: number): number | null {
    this.#bytes = smoothRate(this.#bytes, p.bytesDone, at);
    this.#actions = smoothRate(this.#actions, p.actionsDone, at);
    return secondsLeft([
      { remaining: p.bytesTotal - p.bytesDone, rate: this.#bytes.rate },
      { remaining: p.actionsTotal - p.actionsDone, rate: this.#actions.rate },
    ]);
  }
}

/** Where an inventory's hashing stands: files and bytes hashed of those the walk left to hash. */
export interface HashingCounters {
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
}

/**
 * Time left of inventories, one smoothed follower per key (a local source's code, a cloud member's id). While a walk
 * runs nothing is known (null); the hashing then counts like a run's actions and bytes.
 */
export class InventoryTimeLeft {
  #followers = new Map<string, TimeLeft>();

  update(key: string, hashing: HashingCounters | undefined, done: boolean, at: number): number | null {
    if (done) {
      this.#followers.delete(key);
      return 0;
    }
    if (!hashing) return null;
    let follower = this.#followers.get(key);
    if (!follower) this.#followers.set(key, (follower = new TimeLeft()));
    return follower.update({ actionsDone: hashing.files, actionsTotal: hashing.filesTotal, bytesDone: hashing.bytes, bytesTotal: hashing.bytesTotal }, at);
  }
}
