/** Runs the real `quintet` bin as a child process (tests, e2e, bench): its output as it comes, a line awaited, Ctrl-C. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../adapters/node/temp-tree.ts';

const BIN = fileURLToPath(new URL('./quintet.cjs', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout, now or later; rejects if the process exits first or after `ms`. */
  line(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** The exit code; a process killed by a signal gets a shell's 128 + its number (SIGSEGV: 139), and says so on stderr. */
  exited: Promise<number | null>;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

/** Another checkout's bin, for A/B benchmarks: cli/quintet.cjs, or cli/quintet.mjs in a checkout from before it. */
export function binOf(checkout: string): string {
  const cjs = join(checkout, 'cli', 'quintet.cjs');
  return existsSync(cjs) ? cjs : join(checkout, 'cli', 'quintet.mjs');
}

/** `node cli/quintet.cjs …args` (the bin) with `env` on top of this process's environment. */
export function spawnQuintet(args: string[], env: Record<string, string> = {}): CliProcess {
  return spawnScript(BIN, args, env);
}

/** `node <script> …args` (a .mjs test support script), watched the same way; in English unless `env` sets QUINTET_LANG (tests read its lines whatever the machine's locale). */
export function spawnScript(script: string, args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, QUINTET_LANG: 'en', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) w();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => {
    // A crash must not read as an ordinary failure: name the signal where the test's message shows it.
    if (signal) err += `\n[cli-process] ${args.join(' ')}: killed by ${signal}\n`;
    resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null));
    for (const w of [...waiters]) w();
  }));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    line: (pattern, ms = 120_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no line ${pattern} within ${ms} ms; stdout:\n${out}\nstderr:\n${err}`)), ms);
        const finish = (error: Error | null, match?: RegExpMatchArray) => {
          clearTimeout(timer);
          waiters.delete(look);
          if (error) reject(error);
          else resolve(match as RegExpMatchArray);
        };
        const look = () => {
          const match = out.match(pattern);
          if (match) finish(null, match);
          else if (child.exitCode !== null || child.signalCode !== null) finish(new Error(`exited (${child.exitCode}) before ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
        };
        waiters.add(look);
        look();
      }),
    interrupt: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** The session ID and password a `create` or `join` printed. */
export async function sessionOf(p: CliProcess): Promise<{ id: string; password: string; link: string }> {
  const id = (await p.line(/^Session ID: +(\S+)/m))[1] as string;
  const password = (await p.line(/^Password: +(\S+)/m))[1] as string;
  const link = (await p.line(/^Invite link: +(\S+)/m))[1] as string;
  return { id, password, link };
}

/**
 * What the cloud tests start members with: `quintet(args)` spawns the command with a fresh state folder (its own
 * index and device name memory) and keeps it in `running`, which withSignalingServer stops after each test.
 */
export function quintetRunner(): { running: CliProcess[]; quintet: (args: string[], env?: Record<string, string>) => Promise<CliProcess> } {
  const running: CliProcess[] = [];
  const quintet = async (args: string[], env: Record<string, string> = {}) => {
    const p = spawnQuintet(args, { QUINTET_STATE_DIR: await tempDir('quintet-state-'), ...env });
    running.push(p);
    return p;
  };
  return { running, quintet };
}

/** Polls until `check` holds, every 100 ms (a guard against hanging, not a measure: `ms` is three times a quiet machine's). */
export async function eventually(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `Lanes received at result: 0 <bytes>, in-1 <bytes>…`: what a member's mesh received per lane, as it printed it last (QUINTET_TEST_CHANNEL_STATS). */
export function laneBytes(stdout: string): Record<string, number> {
  const line = stdout.split('\n').filter((l) => l.startsWith('Lanes received at result: ')).at(-1) ?? '';
  return Object.fromEntries([...line.matchAll(/(\S+) (\d+)(?:,|$)/g)].map((m) => [m[1] as string, Number(m[2])]));
}
