/**
 * Up to how many bytes the Node adapter reads and writes synchronously. Every metadata call (stat, open, close,
 * rename, mkdir) is synchronous too. On a local disk each such call takes microseconds, less than the hand-off of an
 * asynchronous one to libuv's thread pool and back (measured: a Mirror of 2,000 small files spent most of its time in
 * those hand-offs, futex waits included, not in the file system). Larger reads and writes stay asynchronous, so the
 * disk works while the engine hashes. The cost: a slow file system (a network share) holds the event loop for the
 * length of each call, so progress lines and peers' messages wait for it.
 */
export const SYNC_BYTES = 256 * 1024;

/**
 * Up to how many bytes a write is synchronous. Lower than for reads: a write of a whole block can sleep in the kernel
 * (dirty-page throttling while a run writes a gigabyte), and a receiving member's event loop must meanwhile go on
 * taking pieces off its channels, opening and hashing them. Small files' writes stay synchronous.
 */
export const SYNC_WRITE_BYTES = 64 * 1024;

/** Synchronous calls between two turns of the event loop. */
const CALLS_PER_TURN = 64;
let calls = 0;

/**
 * Awaited before each synchronous call: every 64th lets the event loop turn (setImmediate). Synchronous calls whose
 * promises are already resolved would otherwise chain as microtasks through a whole inventory or run, and Ctrl-C,
 * timers (progress bars) and peers' messages would wait for the end of it.
 */
export function loopTurn(): Promise<void> | void {
  if (++calls % CALLS_PER_TURN !== 0) return;
  return new Promise((resolve) => setImmediate(resolve));
}
