/**
 * A standing group with real `quintet run` processes (issue 12's must-show): `quintet group create/join`, then a hub and
 * two members, each `node cli/quintet.cjs run <profile> --at HH:MM:SS` with its own QUINTET_HOME, state folder and
 * QUINTET_NAME, on a real signaling server with real WebRTC. They meet at two scheduled runs in a row without any new
 * ID or password; the second finds one member missing and says so; a third fails on a member whose folder is read-only.
 */
import { withSignalingServer } from './test-server.ts';
import { describe, expect, it } from 'vitest';
import { chmod, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import type { RunRecord } from '../core/unattended/run-record.ts';
import { spawnQuintet, type CliProcess } from './cli-process.ts';
import { EXIT } from './exit-codes.ts';

const running: CliProcess[] = [];
const mounts: string[] = [];
const track = (p: CliProcess) => (running.push(p), p);

/** Everything every process printed: a stall on one side is often explained by another's. */
const transcript = () => running.map((r) => `--- quintet ${r.child.spawnargs.slice(2).join(' ')}\n${r.stdout()}\n${r.stderr()}`).join('\n');

/** The exit code of `p`, or a failure with every process's output after `ms` (three times a quiet machine's). */
async function exitOf(p: CliProcess, ms = 240_000): Promise<number | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no exit within ${ms} ms\n${transcript()}`)), ms)));
  try {
    return await Promise.race([p.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

interface Side {
  name: string;
  profile: string;
  env: Record<string, string>;
}

const hms = (t: number) => new Date(t).toISOString().slice(11, 19);

/** Runs each side's `quintet run <profile> --at <a few seconds ahead>` at once; resolves the processes once all exited. */
async function scheduledRun(sides: Side[], during?: (processes: CliProcess[]) => Promise<void>): Promise<CliProcess[]> {
  // A side whose process started after the time would wait for tomorrow: then every side is stopped, what that attempt
  // recorded (runs stopped while waiting for the others) is forgotten, and it is tried again with three times the margin.
  for (const margin of [10_000, 30_000, 90_000]) {
    const at = Math.ceil((Date.now() + margin) / 1000) * 1000;
    const before = await Promise.all(sides.map((s) => runFiles(s)));
    const processes = sides.map((s) => track(spawnQuintet(['run', s.profile, '--at', hms(at), '--time-zone', 'UTC'], s.env)));
    const nexts = await Promise.all(processes.map(async (p) => Date.parse(`${(await p.line(/^Next run: (\S+ \S+) UTC$/m, 120_000))[1]?.replace(' ', 'T')}Z`)));
    if (nexts.every((next) => next === at)) {
      await during?.(processes);
      for (const p of processes) await exitOf(p);
      return processes;
    }
    for (const next of nexts) if (next !== at) expect(next - at).toBe(86_400_000); // tomorrow's, never another time
    await Promise.all(processes.map((p) => p.interrupt()));
    await Promise.all(sides.map(async (s, i) => {
      for (const file of await runFiles(s)) if (!before[i]?.includes(file)) await rm(join(s.env.QUINTET_HOME as string, 'runs', file));
    }));
  }
  throw new Error(`the processes never all started within 90 s\n${transcript()}`);
}

async function runFiles(side: Side): Promise<string[]> {
  return readdir(join(side.env.QUINTET_HOME as string, 'runs')).catch(() => []);
}

/** `quintet report --json` of a side, as a real process. */
async function reportOf(side: Side): Promise<RunRecord[]> {
  const p = track(spawnQuintet(['report', '--json'], side.env));
  expect(await exitOf(p), p.stderr()).toBe(EXIT.done);
  return JSON.parse(p.stdout()) as RunRecord[];
}

describe('a standing group of quintet run processes', () => {
  const server = withSignalingServer(running, { beforeRemove: () => mounts.forEach((dir) => execFileSync('umount', [dir])) });

  it('two scheduled runs with no new ID or password (the second lists the absent member missing), then a run that fails on a read-only member', async (context) => {
    const home = await tempDir('quintet-group-');
    const create = track(spawnQuintet(['group', 'create', join(home, 'hub.json'), '--name', 'Head office', '--server', server.url]));
    expect(await exitOf(create), create.stderr()).toBe(0);
    const invite = (await create.line(/^Invite \(a secret[^\n]*\n(\S+)$/m))[1] as string;
    for (const m of ['m1', 'm2']) {
      const joined = track(spawnQuintet(['group', 'join', join(home, `${m}.json`), invite]));
      expect(await exitOf(joined), joined.stderr()).toBe(0);
      expect((await stat(join(home, `${m}.json`))).mode & 0o777).toBe(0o600);
    }
    const groupFiles = await Promise.all(['hub.json', 'm1.json', 'm2.json'].map((f) => readFile(join(home, f), 'utf8')));

    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    // branch-2's folder is a tmpfs of its own (as root, where chmod stops nobody), made read-only before the third run.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', c], { stdio: 'ignore' });
        mounts.push(c);
      } catch {
        // Without a mount the third run is skipped below, with its reason.
      }
    }
    await seedDir(a, { 'from-hub.txt': 'head office' });
    await seedDir(b, { 'from-b.txt': 'branch one' });
    await seedDir(c, { 'from-c.txt': 'branch two' });
    // Two-way: the members' letters follow their arrival order, which changes from run to run (docs/protocol.md §11).
    const side = async (name: string, body: object): Promise<Side> => {
      const profile = join(home, `${name}-profile.json`);
      await writeFile(profile, JSON.stringify({ kind: 'cloud', name: `${name} nightly`, ...body }));
      return { name, profile, env: { QUINTET_HOME: await tempDir('quintet-home-'), QUINTET_STATE_DIR: await tempDir('quintet-state-'), QUINTET_NAME: name } };
    };
    // maxWait: three times what meeting takes on a quiet machine for the hub; the members look for the hub longer.
    const hub = await side('hub', { part: 'hub', group: 'hub.json', sources: [a], preset: 'two-way', expectedMembers: ['branch-1', 'branch-2'], maxWait: '45s' });
    const m1 = await side('branch-1', { part: 'member', group: 'm1.json', sources: [b], maxWait: '3m' });
    const m2 = await side('branch-2', { part: 'member', group: 'm2.json', sources: [c], maxWait: '3m' });

    // Run 1: everyone, each started by its own schedule; the members may well arrive before the hub opens the run.
    const run1 = await scheduledRun([hub, m1, m2]);
    for (const p of run1) expect(await p.exited, transcript()).toBe(EXIT.done);
    for (const dir of [a, b, c]) for (const f of ['from-hub.txt', 'from-b.txt', 'from-c.txt']) expect(await readFile(join(dir, f), 'utf8')).toBeTruthy();

    // Run 2: branch-2 stays away. The hub waits its maxWait (lengthened by 5 s through the control socket), runs with
    // branch-1 and says who is missing.
    await writeFile(join(a, 'second.txt'), 'run two');
    const [h2] = await scheduledRun([hub, m1], async ([waiting]) => {
      await waiting!.line(/: waiting up to 45 s for branch-1, branch-2\.$/m, 120_000);
      const extend = track(spawnQuintet(['run', hub.profile, '--extend', '5s'], hub.env));
      expect(await exitOf(extend), extend.stderr()).toBe(EXIT.done);
      expect(extend.stdout()).toMatch(/^Wait for members extended by 5 s: until /m);
    });
    expect(await h2!.exited).toBe(EXIT.doneWithIssues);
    expect(h2!.stdout()).toMatch(/^Missing: branch-2\. Running with branch-1\.$/m);
    expect(h2!.stdout()).toMatch(/^Wait for members extended by 5 s: until /m);
    expect(await readFile(join(b, 'second.txt'), 'utf8')).toBe('run two');
    await expect(stat(join(c, 'second.txt'))).rejects.toThrow();

    // No new ID or password: nobody printed one, and the group files are as `group create/join` wrote them.
    for (const p of running) expect(p.stdout()).not.toMatch(/Password:|Session ID:|g-[0-9a-f]{32}/);
    expect(await Promise.all(['hub.json', 'm1.json', 'm2.json'].map((f) => readFile(join(home, f), 'utf8')))).toEqual(groupFiles);

    const hubRuns = await reportOf(hub);
    expect(hubRuns.map((r) => r.status)).toEqual(['partial', 'ok']); // newest first
    const [second, first] = hubRuns as [RunRecord, RunRecord];
    expect(first).toMatchObject({ profile: 'hub nightly', kind: 'cloud', missing: [], errors: [], counts: { planned: 6, done: 6, failed: 0, skipped: 0, byAction: { copy: 6 } } });
    expect(first.present.sort()).toEqual(['branch-1', 'branch-2']);
    expect(first.perMember.map((m) => [m.name, m.counts.done])).toEqual(expect.arrayContaining([['hub', 2], ['branch-1', 2], ['branch-2', 2]]));
    expect(second).toMatchObject({ present: ['branch-1'], missing: ['branch-2'], errors: [], counts: { planned: 1, done: 1 }, message: 'missing: branch-2' });
    expect(Date.parse(second.start)).toBeGreaterThan(Date.parse(first.end));
    expect(new Set(hubRuns.map((r) => r.id)).size).toBe(2);
    expect((await reportOf(m1)).map((r) => [r.status, r.present, r.counts.done])).toEqual([['ok', ['hub'], 1], ['ok', ['hub'], 2]]);
    expect((await reportOf(m2)).map((r) => r.status)).toEqual(['ok']);

    // Run 3: everyone, but branch-2's folder is read-only: what it should receive fails there and is listed.
    if (!asRoot) await chmod(c, 0o555);
    else if (mounts.includes(c)) execFileSync('mount', ['-o', 'remount,ro', c]);
    else return context.skip('running as root where chmod does not stop writes, and no tmpfs can be mounted here');
    await writeFile(join(a, 'third.txt'), 'run three');
    const run3 = await scheduledRun([hub, m1, m2]);
    if (!asRoot) await chmod(c, 0o755);
    // Every process ended by itself with its code (a crash would leave branch-2 without its record of this run).
    expect(run3.map((p) => p.child.exitCode), transcript()).toEqual([EXIT.doneWithIssues, EXIT.done, expect.toBeOneOf([EXIT.doneWithIssues, EXIT.failed])]);
    const [third] = await reportOf(hub);
    expect(['partial', 'failed']).toContain(third?.status);
    expect(third).toMatchObject({ missing: [] });
    const letter = third?.perMember.find((m) => m.name === 'branch-2')?.letter as string;
    // Refused before writing (no write permission on its source): skipped, each item named with why.
    const share = third?.perMember.find((m) => m.name === 'branch-2')?.counts;
    expect((share?.failed ?? 0) + (share?.skipped ?? 0)).toBe(2);
    expect(share?.done).toBe(0);
    for (const path of ['second.txt', 'third.txt']) expect(third?.errors).toContainEqual(expect.objectContaining({ source: `${letter}1`, path }));
    expect(await readFile(join(b, 'third.txt'), 'utf8')).toBe('run three');
    const m2Runs = await reportOf(m2);
    expect(m2Runs.length, `branch-2 recorded ${JSON.stringify(m2Runs)}\n${transcript()}`).toBe(2);
    const [mine] = m2Runs;
    expect(['partial', 'failed']).toContain(mine?.status);
    expect(mine?.errors.map((e) => e.path).sort()).toEqual(['second.txt', 'third.txt']);
    expect(mine?.errors.every((e) => e.source === `${letter}1` && e.reason.length > 0)).toBe(true);
  }, 900_000);
});
