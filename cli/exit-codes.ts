/** The `quintet` command's exit codes: one meaning each, documented in `quintet --help` and docs/cli.md. */
export const EXIT = {
  /** Everything planned was done, nothing was skipped. */
  done: 0,
  /** The run failed as a whole (an unexpected error): see the message. */
  failed: 1,
  /** Nothing was started: bad arguments, a source that cannot be opened, no terminal to confirm on. */
  couldNotStart: 2,
  /** The run finished, but some items failed or were skipped (links, special files, unreadable, refused names). */
  doneWithIssues: 3,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM: finished items stay, nothing is left half-written. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The table printed by `quintet --help`. */
export const EXIT_HELP = `Exit codes:
  0    all done
  1    failed (an unexpected error stopped the run)
  2    could not start (bad arguments, a source that cannot be opened, no terminal to confirm on)
  3    done, with failed or skipped items (each one listed with its reason)
  130  stopped by Ctrl-C or SIGTERM (finished items stay, nothing half-written)`;

/** Thrown for anything that keeps a command from starting; main prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
