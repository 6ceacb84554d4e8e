/** What every benchmark run keeps around its measures: log lines stamped with the time since start, and a deadline. */
import { performance } from 'node:perf_hooks';

/** A log line stamped with the seconds since the process started. */
export const log = (message: string): void => console.log(`[${(performance.now() / 1000).toFixed(1)} s] ${message}`);

/** After `seconds`: says so, runs `cleanup`, exits 2. Returns what cancels it (for the run's `finally`). */
export function deadline(seconds: number, cleanup: () => Promise<void>): () => void {
  const timer = setTimeout(() => {
    console.error(`deadline of ${seconds} s reached, stopping`);
    void cleanup().finally(() => process.exit(2));
  }, seconds * 1000);
  return () => clearTimeout(timer);
}

/**
 * A benchmark's measures, run once: a failure is printed and sets exit code 1; in every case the deadline `stop` is
 * cancelled and `cleanup` runs (browsers closed, servers stopped, work folders removed).
 */
export async function runMeasures(stop: () => void, cleanup: () => Promise<void>, measures: () => Promise<void>): Promise<void> {
  try {
    await measures();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    stop();
    await cleanup();
  }
}
