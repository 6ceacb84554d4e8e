/**
 * The cloud kind of `quintet run`: one run of the profile's standing group (runGroupOnce), the hub's wait being the
 * runner's WaitWindow so `quintet run <profile> --extend 30m` reaches it through the run's control socket.
 */
import { dirname, resolve } from 'node:path';
import type { RunExecutor, StopSignal } from '../core/unattended/executor.ts';
import { DEFAULT_MAX_RUN_TIME, DEFAULT_MAX_WAIT, durationMs, type Profile } from '../core/unattended/profile.ts';
import { UsageError } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { groupOf, runGroupOnce } from './run-cloud.ts';
import { printUdpBufferHint } from './cloud-setup.ts';
import { msg } from './i18n.ts';

/** An AbortSignal that follows core's StopSignal (the runner's, which is the process's in the CLI). */
function abortSignalOf(stop: StopSignal): AbortSignal {
  if (stop instanceof AbortSignal) return stop;
  const controller = new AbortController();
  if (stop.aborted) controller.abort();
  else stop.addEventListener('abort', () => controller.abort(), { once: true });
  return controller.signal;
}

/** Runs a cloud profile; `baseDir` is where a relative `group` path is read from (the profile file's folder). */
export function cloudExecutor(io: CliIo, baseDir: string): RunExecutor {
  return {
    async execute(profile, ctx) {
      if (profile.kind !== 'cloud') throw new Error(`a ${profile.kind} profile given to the cloud executor`);
      return runGroupOnce(profile, {
        signal: abortSignalOf(ctx.signal),
        maxWaitMs: durationMs(profile.maxWait ?? DEFAULT_MAX_WAIT),
        maxRunMs: durationMs(profile.maxRunTime ?? DEFAULT_MAX_RUN_TIME),
        io,
        openWindow: ctx.openWindow,
        baseDir,
      });
    },
  };
}

/** The factory RUN_KINDS holds: checks the group file and the actions before any wait, then builds the executor. */
export async function cloudKind(profile: Profile, io: CliIo, file: string): Promise<RunExecutor> {
  if (profile.kind !== 'cloud') throw new Error(`a ${profile.kind} profile given to the cloud kind`);
  const baseDir = dirname(resolve(file));
  await groupOf(profile, baseDir);
  if (profile.part === 'hub' && !profile.preset && !profile.rules?.length) throw new UsageError(msg('run.hubPreset', { file }));
  if (profile.part === 'member' && (profile.expectedMembers !== undefined || profile.preset !== undefined || profile.rules !== undefined)) {
    io.err(msg('run.memberUnused', { file }));
  }
  // Once per process, before any wait: a `--daily` service says it at start, not before every run.
  printUdpBufferHint(io);
  return cloudExecutor(io, baseDir);
}
