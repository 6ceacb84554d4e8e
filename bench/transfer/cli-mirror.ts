/** CLI ↔ CLI: two `quintet` processes mirror a disk folder A1 → B1 through a signaling server, timed, with their CPU. */
import { spawn as spawnChild } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnQuintet, spawnScript } from '../../cli/cli-process.ts';
import { threadSeconds, threadTicks } from '../shared/thread-cpu.ts';

export interface CliRun {
  /** From the member printing "Synchronization started by the leader." to it printing its own result. */
  seconds: number;
  /** CPU seconds (user + system, every thread) each process used meanwhile: [sender (leader, A), receiver (B)]. */
  cpu: [number, number];
  /** The same by thread name, [sender, receiver] (bench/shared/thread-cpu.ts; empty off Linux). */
  threads: [[string, number][], [string, number][]];
  /**
   * Bytes the receiver's data channels received over the same span (sealed frames, as getStats counts them), when
   * asked for (`channelStats`): the wire bytes of the transfer.
   */
  wireBytes?: number;
  /** Bytes the receiver's mesh received per lane (`0`, `in-1`…: core/mesh/lanes.ts) during the whole session, with `channelStats`. */
  lanes?: Record<string, number>;
  /** The sender's lane events as it printed them (with QUINTET_DEBUG_LANES: opened, connected, retired…). */
  laneEvents?: string[];
}

/** What one mirror is run with: `env` for both processes, `memberEnv` for the receiver only, and whether to count its channel bytes. */
export interface CliMirrorOptions {
  env?: Record<string, string>;
  memberEnv?: Record<string, string>;
  channelStats?: boolean;
  /** Another checkout's bin (`binOf`) (bench/transfer/cli-ab.ts); this checkout's bin without it. */
  bin?: string;
  /**
   * Records both members with Linux `perf record` over the same span into this file (native frames of every thread:
   * the WebRTC stack's own; JavaScript frames by name when the members run with `--perf-basic-prof`).
   */
  perfOut?: string;
  /** More arguments for both members (`--no-fsync`: what fsync per file costs the transfer). */
  args?: string[];
}

/** CPU seconds a live process has used, from /proc (Linux); 0 elsewhere. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * `quintet create --preset mirror --yes --members 2` on `source` and `quintet join` on `target` against `server`,
 * each with a fresh state folder; `env` goes to both (a CPU profile, say); `bin`: another checkout's bin (`binOf`)
 * (bench/transfer/cli-ab.ts). Throws unless every action was done.
 */
export async function cliMirror(source: string, target: string, server: string, env: Record<string, string> = {}, options: CliMirrorOptions = {}): Promise<CliRun> {
  const stats: Record<string, string> = options.channelStats ? { QUINTET_TEST_CHANNEL_STATS: '1' } : {};
  const bin = options.bin;
  const spawn = (args: string[], vars: Record<string, string>) => (bin ? spawnScript(bin, args, vars) : spawnQuintet(args, vars));
  const states = [await mkdtemp(join(tmpdir(), 'quintet-bench-state-')), await mkdtemp(join(tmpdir(), 'quintet-bench-state-'))];
  try {
    const leader = spawn(['create', '--source', source, '--server', server, '--name', 'bench-a', '--preset', 'mirror', '--yes', '--members', '2', ...(options.args ?? [])], { QUINTET_STATE_DIR: states[0] as string, ...env });
    const id = (await leader.line(/^Session ID: +(\S+)/m))[1] as string;
    const password = (await leader.line(/^Password: +(\S+)/m))[1] as string;
    const member = spawn(['join', id, '--password', password, '--source', target, '--server', server, '--name', 'bench-b', ...(options.args ?? [])], { QUINTET_STATE_DIR: states[1] as string, ...env, ...stats, ...options.memberEnv });
    await member.line(/^Synchronization started by the leader\.$/m, 30 * 60_000);
    const start = performance.now();
    const cpu0 = await Promise.all([leader, member].map((p) => cpuSeconds(p.child.pid)));
    const ticks0 = await Promise.all([leader, member].map((p) => threadTicks(p.child.pid)));
    const perf = options.perfOut ? spawnChild('perf', ['record', '-F', '999', '-g', '-o', options.perfOut, '-p', `${leader.child.pid},${member.child.pid}`], { stdio: 'ignore' }) : null;
    const result = await member.line(/^B bench-b \(this computer\): (\d+) done, (\d+) failed, (\d+) skipped.*$/m, 60 * 60_000);
    const seconds = (performance.now() - start) / 1000;
    const ticks1 = await Promise.all([leader, member].map((p) => threadTicks(p.child.pid)));
    const threads = [0, 1].map((i) => threadSeconds(ticks0[i]!, ticks1[i]!)) as CliRun['threads'];
    const cpu = (await Promise.all([leader, member].map((p) => cpuSeconds(p.child.pid)))).map((c, i) => c - (cpu0[i] as number)) as [number, number];
    if (perf) {
      perf.kill('SIGINT');
      await once(perf, 'exit');
    }
    const received = async (when: string) => Number((await member.line(new RegExp(`^Channel bytes at ${when}: received (\\d+)`, 'm')))[1]);
    const wireBytes = options.channelStats ? (await received('result')) - (await received('start')) : undefined;
    const laneLine = options.channelStats ? (await member.line(/^Lanes received at result: (.*)$/m))[1] as string : undefined;
    const lanes = laneLine === undefined ? undefined : Object.fromEntries([...laneLine.matchAll(/(\S+) (\d+)(?:,|$)/g)].map((m) => [m[1] as string, Number(m[2])]));
    const code = await leader.exited;
    await member.interrupt();
    if (code !== 0 || result[2] !== '0' || result[3] !== '0') throw new Error(`mirror did not complete: exit ${code}, ${result[0]}\n${leader.stderr()}`);
    const laneEvents = leader.stderr().split('\n').filter((l) => / lane \S+ with /.test(l));
    return { seconds, cpu, threads, ...(wireBytes !== undefined ? { wireBytes } : {}), ...(lanes ? { lanes } : {}), ...(laneEvents.length ? { laneEvents } : {}) };
  } finally {
    await Promise.all(states.map((d) => rm(d, { recursive: true, force: true })));
  }
}
