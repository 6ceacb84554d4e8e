/** `quintet run <profile.json>`: runs a saved profile now, at a time, or every day; records each run and sends its notices. */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { basename, extname, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkProfile, durationMs, type Profile } from '../core/unattended/profile.ts';
import type { RunStatus } from '../core/unattended/run-record.ts';
import { Runner } from '../core/unattended/runner.ts';
import type { SchedulePlan } from '../core/unattended/schedule.ts';
import { isTimeZone, localTimeZone, parseClockTime } from '../core/unattended/zoned-time.ts';
import type { Clock, Random, Timers } from '../core/ports.ts';
import { FileRunHistory, quintetHome } from '../adapters/node/run-history.ts';
import { NodeNotifier } from '../adapters/node/run-notifier.ts';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { RUN_KINDS, type ExecutorFactory } from './run-kinds.ts';
import { AlreadyRunning, controlPath, sendControl, serveControl } from './run-control.ts';
import { helpText, msg } from './i18n.ts';
import { runnerText } from './runner-text.ts';

export const RUN_HELP = `Usage: quintet run <profile.json> [options]

Runs a saved profile (docs/profiles.md) without anyone at the keyboard: no question is asked. Every run is
recorded in $QUINTET_HOME/runs/ (see quintet report) and announced by the profile's notices (webhook, e-mail).

Options:
  --at HH:MM[:SS]      wait for this time of day, then run (instead of the profile's schedule.at)
  --daily              run every day at that time and keep running, as a service, until stopped
  --time-zone <zone>   the IANA zone of --at (default: the profile's schedule.timeZone, else this machine's)
  --now                run once now, whatever the profile's schedule says
  --extend <duration>  do not run: tell the quintet run of this profile that is waiting for members to wait
                       longer (30m, 90s, 2h)
  -h, --help           this help

Without --at, --daily or --now, the profile's schedule applies; a profile without one runs once, now.
Source paths in a profile must be absolute. SIGINT (Ctrl-C) and SIGTERM stop cleanly: the run in progress is
recorded as stopped; stopped while waiting for the time, nothing is recorded.
Exit code of the last run: 0 ok, 3 partial or no-members, 1 failed, 130 stopped; 2 when it could not start.`;

interface RunArgs {
  file: string;
  at?: string;
  daily: boolean;
  timeZone?: string;
  now: boolean;
  extend?: string;
}

export function parseRunArgs(argv: string[]): RunArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { at: { type: 'string' }, daily: { type: 'boolean' }, 'time-zone': { type: 'string' }, now: { type: 'boolean' }, extend: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(msg('run.oneProfile'));
  if (values.now && (values.at !== undefined || values.daily)) throw new UsageError(msg('run.nowAlone'));
  if (values.extend !== undefined && (values.at !== undefined || values.daily || values.now)) throw new UsageError(msg('run.extendAlone'));
  return { file: positionals[0] as string, at: values.at, daily: values.daily ?? false, timeZone: values['time-zone'], now: values.now ?? false, extend: values.extend };
}

/** Reads and checks a profile file; every problem is a UsageError naming the file and the field. */
export async function loadProfile(file: string): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(msg('run.cannotRead', { file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message }));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(msg('run.notJson', { file, message: (error as Error).message }));
  }
  const check = checkProfile(json);
  if (!check.ok) throw new UsageError(msg('run.invalid', { file, errors: check.errors.join('\n  ') }));
  const profile = check.profile;
  const relative = profile.sources.filter((s) => !isAbsolute(s));
  if (relative.length > 0) throw new UsageError(msg('run.absolute', { file, paths: relative.join(', ') }));
  if (profile.kind === 'local') {
    if (profile.sources.length < 2) throw new UsageError(msg('run.localTwo', { file }));
    if (!profile.preset && !profile.rules) throw new UsageError(msg('run.localPreset', { file }));
    const codes = profile.sources.map((_, i) => `A${i + 1}`);
    for (const code of [profile.from, profile.to]) if (code !== undefined && !codes.includes(code)) throw new UsageError(msg('run.unknownSource', { file, code, codes: codes.join(', ') }));
  }
  return profile;
}

/** The schedule of this run: the command line's over the profile's. */
function schedulePlan(args: RunArgs, profile: Profile): SchedulePlan {
  const timeZone = args.timeZone ?? profile.schedule?.timeZone ?? localTimeZone();
  if (!isTimeZone(timeZone)) throw new UsageError(msg('run.timeZone', { zone: timeZone }));
  if (args.now) return { timeZone };
  const atText = args.at ?? profile.schedule?.at;
  const at = atText === undefined ? undefined : parseClockTime(atText);
  if (atText !== undefined && !at) throw new UsageError(msg('run.at', { value: atText }));
  const daily = args.daily || (args.at === undefined && (profile.schedule?.daily ?? false));
  if (daily && !at) throw new UsageError(msg('run.dailyAt'));
  return { at, daily, timeZone };
}

const EXIT_OF: Record<RunStatus, ExitCode> = { ok: EXIT.done, partial: EXIT.doneWithIssues, 'no-members': EXIT.doneWithIssues, failed: EXIT.failed, stopped: EXIT.interrupted };

const nodePorts: { clock: Clock; timers: Timers; random: Random } = {
  clock: { now: () => Date.now() },
  timers: {
    after: (ms, fn) => {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
  },
  random: { bytes: (n) => new Uint8Array(randomBytes(n)) },
};

export async function runRun(argv: string[], io: CliIo, kinds: Record<Profile['kind'], ExecutorFactory> = RUN_KINDS): Promise<ExitCode> {
  const args = parseRunArgs(argv);
  if (args === 'help') {
    io.out(await helpText('run', RUN_HELP));
    return EXIT.done;
  }
  const home = quintetHome(io.env);
  const control = await controlPath(home, args.file);
  if (args.extend !== undefined) {
    if (!/^\d+(s|m|h)$/.test(args.extend)) throw new UsageError(msg('run.extendDuration', { value: args.extend }));
    const reply = await sendControl(control, { extend: durationMs(args.extend) }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') throw new UsageError(msg('run.notRunning', { file: args.file }));
      throw error;
    });
    (reply.ok ? io.out : io.err)(reply.ok ? reply.message : msg('run.controlFailed', { message: reply.message }));
    return reply.ok ? EXIT.done : EXIT.couldNotStart;
  }

  const profile = await loadProfile(args.file);
  const schedule = schedulePlan(args, profile);
  const executor = await kinds[profile.kind](profile, io, args.file);
  const history = new FileRunHistory(home);
  let runner: Runner | undefined;
  let server;
  try {
    server = await serveControl(control, (request) => {
      if ('ping' in request) return { ok: true, message: 'running' };
      if (typeof request.extend !== 'number' || !(request.extend > 0)) return { ok: false, message: msg('run.controlExtend') };
      return runner ? runner.extend(request.extend) : { ok: false, message: msg('run.controlNotStarted') };
    });
  } catch (error) {
    if (error instanceof AlreadyRunning) throw new UsageError(error.pid ? msg('run.alreadyRunningPid', { file: args.file, pid: String(error.pid) }) : msg('run.alreadyRunning', { file: args.file }));
    throw error;
  }
  try {
    runner = new Runner({
      profile, name: profile.name ?? basename(args.file, extname(args.file)), executor, schedule,
      ports: { ...nodePorts, history, notifier: new NodeNotifier() }, signal: io.signal, log: (line) => io.out(line), text: runnerText,
    });
    const records = await runner.run();
    const last = records.at(-1);
    if (!last) return io.signal.aborted ? EXIT.interrupted : EXIT.done;
    return EXIT_OF[last.status];
  } finally {
    await server.close();
  }
}
