/** Waiting in tests until asynchronous work (sealing on Node's thread pool, deliveries) has stopped moving. */

// core/ compiles without the platform's types; every runtime the tests run on has a global setTimeout.
const tick = () => new Promise<void>((r) => (globalThis as unknown as { setTimeout(f: () => void, ms: number): unknown }).setTimeout(r, 1));

/**
 * Lets timers and the thread pool run: at least 40 timer ticks, then until `progress()` has not changed for `quietTicks`
 * ticks in a row. A fixed count of ticks was too few once on a loaded machine (CI), where a tick can be shorter than
 * one seal; capped at 5,000 ticks so a test that never quiets still ends.
 */
export async function settleUntilQuiet(progress: () => number, quietTicks: number): Promise<void> {
  let last = progress();
  let still = 0;
  for (let i = 0; i < 5000 && (i < 40 || still < quietTicks); i++) {
    await tick();
    const now = progress();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}
