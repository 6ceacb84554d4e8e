/** What a command needs from its process, injected so tests run commands in-process: output, terminal, Ctrl-C, clock. */
import { unlinkSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { Clock, DirSink } from '../core/ports.ts';
import { stagedNow } from '../adapters/node/staged-file.ts';
import { isYes, msg } from './i18n.ts';

export interface CliIo {
  /** A line of results (stdout). */
  out(line: string): void;
  /** A line of progress, warnings, errors (stderr). */
  err(line: string): void;
  /** The stream progress bars draw on; bars only when it is a terminal. */
  progressStream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Whether a question can be asked (stdin is a terminal). */
  interactive: boolean;
  /** Asks a yes/no question; resolves false on anything but yes (y/yes, and o/oui in French). */
  confirm(question: string): Promise<boolean>;
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
  env: Record<string, string | undefined>;
  clock: Clock;
  /** Wraps every source opened (tests inject faults at the fs port here). */
  wrapSink?: (sink: DirSink, dir: string) => DirSink;
  /** The system's default UDP receive buffer in bytes (default: adapters/node/udp-buffers.ts reads it; tests inject one). */
  rmemDefault?: () => number | undefined;
}

/**
 * The real process: stdout/stderr, readline on stdin, and Ctrl-C (or SIGTERM). The first Ctrl-C aborts the signal (the run stops
 * between blocks and removes what it staged); a second one quits at once, still removing staged files on the way out.
 */
export function processIo(): CliIo {
  const controller = new AbortController();
  process.on('exit', () => {
    for (const file of stagedNow) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  });
  // SIGTERM (a service manager stopping `quintet run --daily`) stops as cleanly as Ctrl-C.
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      if (controller.signal.aborted) process.exit(130);
      process.stderr.write(`\n${msg('io.stopping', { key: name === 'SIGINT' ? 'Ctrl-C' : name })}\n`);
      controller.abort(name);
    });
  }
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    progressStream: process.stderr,
    // isatty, not process.stdin.isTTY: touching process.stdin builds its stream (tens of ms at start-up), which only a
    // question needs.
    interactive: isatty(0),
    confirm: async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const onAbort = () => rl.close();
      controller.signal.addEventListener('abort', onAbort, { once: true });
      try {
        return isYes(await rl.question(`${question} ${msg('io.yesNo')} `));
      } catch {
        return false;
      } finally {
        controller.signal.removeEventListener('abort', onAbort);
        rl.close();
      }
    },
    signal: controller.signal,
    env: process.env,
    clock: { now: () => Date.now() },
  };
}
