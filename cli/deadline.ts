/**
 * A signal that aborts at a deadline or when its parent does, with the deadline movable. Written out with a controller
 * and a timer held here: AbortSignal.timeout inside AbortSignal.any is only weakly held on some Node versions and may
 * be collected before it fires, which leaves a wait without its end.
 */
export interface Deadline {
  signal: AbortSignal;
  /** Moves the deadline `ms` later (nothing once it passed). */
  extend(ms: number): void;
  /** Whether the deadline (not the parent) ended it. */
  readonly passed: boolean;
  /** Stops the timer and the parent's listener. */
  clear(): void;
}

export function deadline(parent: AbortSignal, ms: number, now: () => number = Date.now): Deadline {
  const controller = new AbortController();
  let at = now() + ms;
  let passed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onParent = () => controller.abort();
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      passed = true;
      controller.abort();
    }, Math.max(0, at - now()));
  };
  if (parent.aborted) controller.abort();
  else {
    parent.addEventListener('abort', onParent, { once: true });
    arm();
  }
  return {
    signal: controller.signal,
    extend(more) {
      if (controller.signal.aborted) return;
      at += more;
      arm();
    },
    get passed() {
      return passed;
    },
    clear() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}
