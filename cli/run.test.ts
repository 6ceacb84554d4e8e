import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { RunRecord } from '../core/unattended/run-record.ts';
import type { RunContext, RunExecutor } from '../core/unattended/executor.ts';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo, treeOf } from './test-io.ts';
import { faulty } from './faulty-sink.ts';
import { spawnQuintet } from './cli-process.ts';
import { runRun } from './run.ts';
import { RUN_KINDS } from './run-kinds.ts';
import { controlPath, sendControl } from './run-control.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

const mounts: string[] = [];
afterAll(async () => {
  for (const dir of mounts) execFileSync('umount', [dir]);
  await removeTempDirs();
});

async function profileFile(profile: unknown): Promise<string> {
  const file = join(await tempDir('quintet-profile-'), 'nightly.json');
  await writeFile(file, JSON.stringify(profile));
  return file;
}

/** Two folders: A holds a small tree, B is empty. */
async function folders(): Promise<[string, string]> {
  const [a, b] = [await tempDir(), await tempDir()];
  await seedDir(a, { 'notes.txt': 'hello', docs: { 'report.txt': 'quarterly figures' } });
  return [a, b];
}

const env = async () => ({ QUINTET_HOME: await tempDir('quintet-home-'), QUINTET_STATE_DIR: await tempDir('quintet-state-') });

/** `quintet report --json` of a home, run as a real process. */
async function reportJson(home: Record<string, string>, ...args: string[]): Promise<RunRecord[]> {
  const p = spawnQuintet(['report', '--json', ...args], home);
  expect(await p.exited).toBe(EXIT.done);
  return JSON.parse(p.stdout()) as RunRecord[];
}

const hms = (t: number) => new Date(t).toISOString().slice(11, 19);

describe('quintet run, as a process', () => {
  it('waits for --at HH:MM:SS, runs the minimal profile as is, and quintet report --json lists it as ok', async () => {
    const [a, b] = await folders();
    const file = await profileFile({ kind: 'local', sources: [a, b], preset: 'mirror', from: 'A1', to: 'A2' });
    const home = await env();
    // The time is a few seconds ahead; if starting the process took longer than that (a loaded machine), it would
    // wait for tomorrow: then it is stopped and tried again with three times the margin.
    for (const margin of [5_000, 15_000, 45_000]) {
      const at = Math.ceil((Date.now() + margin) / 1000) * 1000;
      const p = spawnQuintet(['run', file, '--at', hms(at), '--time-zone', 'UTC'], home);
      const next = Date.parse(`${(await p.line(/^Next run: (\S+ \S+) UTC$/m))[1]?.replace(' ', 'T')}Z`);
      if (next !== at) {
        expect(next - at).toBe(86_400_000); // tomorrow's, never another time
        expect(await p.interrupt()).toBe(EXIT.interrupted);
        continue;
      }
      expect(await p.exited).toBe(EXIT.done);
      expect(p.stdout()).toMatch(/^Run \S+: ok — 3 done, 0 failed, 0 skipped/m);
      const [record] = await reportJson(home);
      expect(record).toMatchObject({ profile: 'nightly', kind: 'local', status: 'ok', counts: { planned: 3, done: 3, failed: 0, skipped: 0, byAction: { copy: 2, mkdir: 1 } }, errors: [] });
      expect(Date.parse(record?.start as string)).toBeGreaterThanOrEqual(at);
      expect(record?.bytes).toBe('hello'.length + 'quarterly figures'.length);
      expect(await treeOf(b)).toEqual(await treeOf(a));
      return;
    }
    throw new Error('the process never started within 45 s');
  }, 240_000);

  it('a run made to fail (read-only target) is recorded failed with each item and its reason', async (context) => {
    const [a, b] = await folders();
    await seedDir(b, { 'old.txt': 'stays' });
    // Root writes through chmod 0555: a read-only tmpfs stops root too; without either, nothing real can refuse.
    if (process.getuid?.() === 0) {
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', b], { stdio: 'ignore' });
      } catch {
        context.skip('running as root where chmod does not stop writes, and no tmpfs can be mounted here');
      }
      mounts.push(b);
      await seedDir(b, { 'old.txt': 'stays' });
      execFileSync('mount', ['-o', 'remount,ro', b]);
    } else await chmod(b, 0o555);
    const home = await env();
    const p = spawnQuintet(['run', await profileFile({ kind: 'local', sources: [a, b], preset: 'mirror' })], home);
    const code = await p.exited;
    if (process.getuid?.() !== 0) await chmod(b, 0o755);
    const [record] = await reportJson(home);
    expect(['partial', 'failed']).toContain(record?.status);
    expect(code).toBe(record?.status === 'failed' ? EXIT.failed : EXIT.doneWithIssues);
    const paths = record?.errors.map((e) => e.path) ?? [];
    for (const path of ['notes.txt', 'old.txt']) expect(paths).toContain(path);
    expect(record?.errors.every((e) => e.source === 'A2' && e.reason.length > 0)).toBe(true);
    expect(await readFile(join(b, 'old.txt'), 'utf8')).toBe('stays');
    // The detail view lists every item with its reason.
    const detail = spawnQuintet(['report', record?.id as string], home);
    expect(await detail.exited).toBe(EXIT.done);
    expect(detail.stdout()).toMatch(new RegExp(`Not synchronized \\(${record?.errors.length}\\):\\n {2}A2 `));
  }, 120_000);

  it('SIGTERM while waiting stops at once with nothing recorded; --extend reaches the waiting process; a second run is refused', async () => {
    const [a, b] = await folders();
    const file = await profileFile({ kind: 'local', sources: [a, b], preset: 'mirror' });
    const home = await env();
    const waiting = spawnQuintet(['run', file, '--at', hms(Date.now() + 3 * 3_600_000), '--time-zone', 'UTC'], home);
    await waiting.line(/^Next run: /m);
    const extend = spawnQuintet(['run', file, '--extend', '30m'], home);
    expect(await extend.exited).toBe(EXIT.couldNotStart);
    expect(extend.stderr()).toMatch(/this profile does not wait for members \(only a cloud hub does\)/);
    const twice = spawnQuintet(['run', file], home);
    expect(await twice.exited).toBe(EXIT.couldNotStart);
    expect(twice.stderr()).toMatch(new RegExp(`is already running \\(process ${waiting.child.pid}\\)`));
    waiting.child.kill('SIGTERM');
    expect(await waiting.exited).toBe(EXIT.interrupted);
    expect(waiting.stdout()).toMatch(/Stopped before the run started: nothing ran, nothing recorded/);
    expect(await reportJson(home)).toEqual([]);
    expect(await readdir(b)).toEqual([]);
    // Nobody listens any more: --extend says so.
    const late = spawnQuintet(['run', file, '--extend', '30m'], home);
    expect(await late.exited).toBe(EXIT.couldNotStart);
    expect(late.stderr()).toMatch(/no quintet run of .* is running/);
  }, 120_000);
});

describe('quintet run, in process', () => {
  it('a stop during the run (what SIGINT and SIGTERM do) records the run as stopped', async () => {
    const [a, b] = await folders();
    const io = await testIo();
    io.wrapSink = (sink, dir) => (dir === b ? faulty(sink, { commit: () => io.controller.abort('SIGTERM') }) : sink);
    expect(await main(['run', await profileFile({ kind: 'local', name: 'stop-me', sources: [a, b], preset: 'mirror' })], io)).toBe(EXIT.interrupted);
    const report = await testIo({ env: io.env });
    expect(await main(['report', '--json'], report)).toBe(EXIT.done);
    const [record] = JSON.parse(report.lines.join('\n')) as RunRecord[];
    expect(record).toMatchObject({ profile: 'stop-me', status: 'stopped', message: 'Stopped: SIGTERM' });
  });

  it('a source that cannot be opened (a NAS not mounted) is a failed run, recorded with the reason', async () => {
    const [a] = await folders();
    const gone = join(await tempDir(), 'not-mounted');
    const io = await testIo();
    expect(await main(['run', await profileFile({ kind: 'local', sources: [a, gone], preset: 'mirror' })], io)).toBe(EXIT.failed);
    const report = await testIo({ env: io.env });
    expect(await main(['report', '--json'], report)).toBe(EXIT.done);
    const [record] = JSON.parse(report.lines.join('\n')) as RunRecord[];
    expect(record).toMatchObject({ status: 'failed', counts: { planned: 0, done: 0 } });
    expect(record?.message).toMatch(new RegExp(`^cannot open ${gone}: not-found`));
  });

  it('a plan refused as a whole (Two-way with a single-file source) does nothing: recorded failed with the reason, never ok', async () => {
    const [a, dir] = await folders();
    const file = join(dir, 'single.txt');
    await writeFile(file, 'one file');
    const io = await testIo();
    expect(await main(['run', await profileFile({ kind: 'local', sources: [a, file], preset: 'two-way' })], io)).toBe(EXIT.failed);
    const report = await testIo({ env: io.env });
    expect(await main(['report', '--json'], report)).toBe(EXIT.done);
    const [record] = JSON.parse(report.lines.join('\n')) as RunRecord[];
    expect(record).toMatchObject({ status: 'failed', counts: { planned: 0, done: 0 } });
    expect(record?.message).toMatch(/^the plan was refused: file-source-target \(A2\)/);
  });

  it('--extend reaches a hub waiting for its members and moves the end of its wait', async () => {
    const io = await testIo();
    io.env.QUINTET_HOME = await tempDir('quintet-home-');
    const file = await profileFile({ kind: 'cloud', part: 'hub', group: '/etc/group.json', sources: ['/srv/a'], expectedMembers: ['lyon'], maxWait: '10m' });
    let window: ReturnType<RunContext['openWindow']> | undefined;
    const kinds = {
      ...RUN_KINDS,
      // A hub as the cloud side runs it: opens the wait and returns when it ends.
      cloud: (): RunExecutor => ({
        execute: async (_p, ctx) => {
          window = ctx.openWindow(['lyon'], 600_000);
          const end = await window.done;
          return { status: end.end === 'stopped' ? undefined : 'no-members', present: end.present, missing: end.missing, counts: { planned: 0, done: 0, failed: 0, skipped: 0, byAction: {} }, perMember: [], bytes: 0, errors: [] };
        },
      }),
    };
    const running = runRun([file, '--now'], io, kinds);
    while (!window) await new Promise((r) => setTimeout(r, 20));
    const reply = await sendControl(await controlPath(io.env.QUINTET_HOME, file), { extend: 30 * 60_000 });
    expect(reply).toMatchObject({ ok: true, message: expect.stringMatching(/^Wait for members extended by 30 min: until /), pid: process.pid });
    expect(window.deadline - window.opened).toBe(40 * 60_000);
    io.controller.abort('SIGTERM');
    expect(await running).toBe(EXIT.interrupted);
    expect(io.lines.join('\n')).toMatch(/Wait for members extended by 30 min/);
  });

  it('refuses relative sources, a bad profile, a cloud profile without its group file and --daily without a time, each with a clear message', async () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: 'local', sources: ['photos', '/abs/b'], preset: 'mirror' }, /source paths must be absolute \(a run may start from any folder\): photos/],
      [{ kind: 'local', sources: ['/abs/a', '/abs/b'], preset: 'sideways', from: 'Z9' }, /is not a valid profile:\n {2}preset: .*\n {2}from: /],
      [{ kind: 'local', sources: ['/abs/a', '/abs/b'] }, /needs a preset \(mirror, update, two-way\) or rules/],
      [{ kind: 'cloud', part: 'hub', group: '/nonexistent/g.json', sources: ['/abs/a'], preset: 'two-way' }, /cannot read the group file \/nonexistent\/g\.json: ENOENT/],
    ];
    for (const [profile, message] of cases) {
      const io = await testIo();
      expect(await main(['run', await profileFile(profile)], io)).toBe(EXIT.couldNotStart);
      expect(io.errors.join('\n')).toMatch(message);
    }
    // A cloud profile is checked against its group file (read from the profile's folder) before any wait.
    const groupIo = await testIo();
    const groupFile = join(await tempDir('quintet-group-'), 'hub.json');
    expect(await main(['group', 'create', groupFile, '--name', 'Head office', '--server', 'http://localhost:9'], groupIo)).toBe(EXIT.done);
    const cloudCases: [unknown, RegExp][] = [
      [{ kind: 'cloud', part: 'hub', group: groupFile, sources: ['/abs/a'] }, /a hub profile needs a preset \(mirror, update, two-way\) or rules/],
      [{ kind: 'cloud', part: 'member', group: groupFile, sources: ['/abs/a'] }, /the profile's part is member but .*hub\.json is the hub's group file/],
    ];
    for (const [profile, message] of cloudCases) {
      const io = await testIo();
      expect(await main(['run', await profileFile(profile)], io)).toBe(EXIT.couldNotStart);
      expect(io.errors.join('\n')).toMatch(message);
    }
    const io = await testIo();
    expect(await main(['run', await profileFile({ kind: 'local', sources: ['/abs/a', '/abs/b'], preset: 'mirror' }), '--daily'], io)).toBe(EXIT.couldNotStart);
    expect(io.errors.join('\n')).toMatch(/--daily needs a time/);
    const notJson = join(await tempDir(), 'p.json');
    await writeFile(notJson, '{ kind: local');
    expect(await main(['run', notJson], io)).toBe(EXIT.couldNotStart);
    expect(io.errors.join('\n')).toMatch(/p\.json is not JSON/);
  });
});

describe('quintet report', () => {
  it('lists runs newest first as a table, --last N, CSV with a header, one run in detail; an unknown id is refused', async () => {
    const [a, b] = await folders();
    const file = await profileFile({ kind: 'local', name: 'photos, "daily"', sources: [a, b], preset: 'update' });
    const io = await testIo();
    expect(await main(['run', file], io)).toBe(EXIT.done);
    await seedDir(a, { 'more.txt': 'more' });
    expect(await main(['run', file], io)).toBe(EXIT.done);
    const read = async (...args: string[]) => {
      const r = await testIo({ env: io.env });
      const code = await main(['report', ...args], r);
      return { code, out: r.lines.join('\n'), err: r.errors.join('\n') };
    };
    const json = JSON.parse((await read('--json')).out) as RunRecord[];
    expect(json.map((r) => r.counts.done)).toEqual([1, 3]); // newest first
    expect(json.map((r) => r.status)).toEqual(['ok', 'ok']);
    const tableLines = (await read()).out.split('\n');
    expect(tableLines[0]).toMatch(/^START +STATUS +PROFILE +DONE +FAILED +SKIPPED +WRITTEN +DURATION +ID$/);
    expect(tableLines.slice(1).map((l) => l.split(/ {2,}/)[3])).toEqual(['1', '3']);
    expect(tableLines[1]).toContain(json[0]?.id);
    expect(JSON.parse((await read('--json', '--last', '1')).out)).toEqual([json[0]]);
    const csv = (await read('--csv')).out;
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe('id,profile,kind,start,end,duration_ms,status,planned,done,failed,skipped,copy,mkdir,delete,bytes,present,missing,errors,first_error,message');
    expect(rows[1]?.startsWith(`${json[0]?.id},"photos, ""daily""",local,`)).toBe(true);
    expect(rows).toHaveLength(3);
    const detail = await read(json[1]?.id as string);
    expect(detail.out).toMatch(/^Run \S+\nProfile: +photos, "daily" \(local\)\nStatus: +ok\n/);
    expect(detail.out).toMatch(/Actions: +3 planned \((copy 2, mkdir 1|mkdir 1, copy 2)\), 3 done, 0 failed, 0 skipped/);
    const missing = await read('2020-01-01T00-00-00.000Z-0000');
    expect(missing.code).toBe(EXIT.couldNotStart);
    expect(missing.err).toMatch(/no run 2020-01-01T00-00-00.000Z-0000 in /);
  });

  it('with no runs: an empty JSON array, and a sentence on the table', async () => {
    const io = await testIo();
    expect(await main(['report', '--json'], io)).toBe(EXIT.done);
    expect(JSON.parse(io.lines.join('\n'))).toEqual([]);
    const table = await testIo({ env: io.env });
    expect(await main(['report'], table)).toBe(EXIT.done);
    expect(table.lines[0]).toMatch(/^No runs recorded in .*runs\.$/);
  });
});
