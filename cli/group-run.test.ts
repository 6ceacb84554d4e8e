/**
 * A standing group with real processes: `quintet group create/join`, then a hub and two members, each its own process
 * (real signaling server, real WebRTC), meet twice without any new ID or password; the second time one member is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../signaling/config.ts';
import { startNodeServer, type NodeServer } from '../signaling/node-server.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { spawnQuintet, spawnScript, type CliProcess } from './cli-process.ts';
import type { GroupRunOutcome } from './run-outcome.ts';
import { runGroupOnce } from './run-cloud.ts';
import { until } from '../signaling/testing/cloud-members.ts';
import { testIo } from './test-io.ts';
import { decodeGroupInvite } from '../core/unattended/group.ts';

const DRIVER = fileURLToPath(new URL('./run-group-driver.mjs', import.meta.url));
const running: CliProcess[] = [];
const track = (p: CliProcess) => (running.push(p), p);

/** One side's run in its own process: the outcome it printed, once it exited. */
async function groupRun(profile: string, slot: string, maxWaitMs: number, name: string, state: string): Promise<GroupRunOutcome> {
  const p = track(spawnScript(DRIVER, [profile, slot, String(maxWaitMs)], { QUINTET_NAME: name, QUINTET_STATE_DIR: state }));
  const line = (await p.line(/^OUTCOME (.+)$/m, 150_000).catch((error: Error) => {
    // Say what every side printed: a stall on one side is often explained by another's.
    throw new Error(`${error.message}\n${running.map((r) => `--- ${r.child.spawnargs.slice(2).join(' ')}\n${r.stdout()}\n${r.stderr()}`).join('\n')}`);
  }))[1] as string;
  expect(await p.exited, p.stderr()).toBe(0);
  expect(p.stdout()).not.toMatch(/Password:|Session ID:|g-[0-9a-f]{32}/);
  return JSON.parse(line) as GroupRunOutcome;
}

describe('standing group', () => {
  let server: NodeServer;
  beforeAll(async () => {
    server = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.interrupt()));
    await server.close();
    await removeTempDirs();
  });

  it('a hub and two members run twice with no new ID or password; the second run lists the absent member as missing', async () => {
    const home = await tempDir('quintet-group-');
    const create = track(spawnQuintet(['group', 'create', join(home, 'hub.json'), '--name', 'Head office', '--server', server.url]));
    expect(await create.exited, create.stderr()).toBe(0);
    const invite = (await create.line(/^Invite \(a secret[^\n]*\n(\S+)$/m))[1] as string;
    for (const m of ['m1', 'm2']) {
      const joined = track(spawnQuintet(['group', 'join', join(home, `${m}.json`), invite]));
      expect(await joined.exited, joined.stderr()).toBe(0);
      expect((await stat(join(home, `${m}.json`))).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(join(home, `${m}.json`), 'utf8'))).not.toHaveProperty('hubSecretKey');
    }
    expect((await stat(join(home, 'hub.json'))).mode & 0o777).toBe(0o600);
    const again = track(spawnQuintet(['group', 'create', join(home, 'hub.json'), '--name', 'x', '--server', server.url]));
    expect(await again.exited).toBe(2);
    expect(again.stderr()).toContain('exists already');

    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await seedDir(a, { 'from-hub.txt': 'head office' });
    await seedDir(b, { 'from-b.txt': 'branch one' });
    await seedDir(c, { 'from-c.txt': 'branch two' });
    const profile = async (file: string, body: object) => {
      await writeFile(join(home, file), JSON.stringify({ kind: 'cloud', preset: 'two-way', ...body }));
      return join(home, file);
    };
    const hub = await profile('hub-profile.json', { part: 'hub', group: 'hub.json', sources: [a], expectedMembers: ['branch-1', 'branch-2'] });
    const m1 = await profile('m1-profile.json', { part: 'member', group: 'm1.json', sources: [b] });
    const m2 = await profile('m2-profile.json', { part: 'member', group: 'm2.json', sources: [c] });
    const states = await Promise.all([0, 1, 2].map(() => tempDir('quintet-state-')));

    // Run 1: everyone; the members may well arrive before the hub (they retry until it created the run).
    const [h1, b1, c1] = await Promise.all([
      groupRun(hub, 'run-1', 60_000, 'hub', states[0]!), groupRun(m1, 'run-1', 60_000, 'branch-1', states[1]!), groupRun(m2, 'run-1', 60_000, 'branch-2', states[2]!),
    ]);
    expect(h1).toMatchObject({ status: 'ok', missing: [], errors: [] });
    expect(h1.present.sort()).toEqual(['branch-1', 'branch-2']);
    expect(h1.counts).toMatchObject({ planned: 6, done: 6, failed: 0, skipped: 0, byAction: { copy: 6 } });
    expect(h1.perMember.map((m) => [m.name, m.counts.done])).toEqual(expect.arrayContaining([['hub', 2], ['branch-1', 2], ['branch-2', 2]]));
    for (const member of [b1, c1]) expect(member).toMatchObject({ status: 'ok', present: ['hub'], counts: { planned: 2, done: 2, byAction: { copy: 2 } } });
    for (const dir of [a, b, c]) for (const f of ['from-hub.txt', 'from-b.txt', 'from-c.txt']) expect(await readFile(join(dir, f), 'utf8')).toBeTruthy();

    // Run 2, the next slot: branch-2 stays away; the hub waits its maximum, runs with branch-1 and lists branch-2 missing.
    await writeFile(join(a, 'second.txt'), 'run two');
    const [h2, b2] = await Promise.all([groupRun(hub, 'run-2', 6_000, 'hub', states[0]!), groupRun(m1, 'run-2', 60_000, 'branch-1', states[1]!)]);
    expect(h2).toMatchObject({ status: 'ok', present: ['branch-1'], missing: ['branch-2'], counts: { planned: 1, done: 1 } });
    expect(b2).toMatchObject({ status: 'ok', counts: { done: 1 } });
    expect(await readFile(join(b, 'second.txt'), 'utf8')).toBe('run two');
    await expect(stat(join(c, 'second.txt'))).rejects.toThrow();
  }, 300_000);

  it('in-process: a hub nobody joins records no-members with everyone missing; a squatter on the rendezvous fails the hub\'s run, saying so', async () => {
    const home = await tempDir('quintet-group-');
    const create = track(spawnQuintet(['group', 'create', join(home, 'hub.json'), '--name', 'Lonely', '--server', server.url]));
    const invite = (await create.line(/^Invite \(a secret[^\n]*\n(\S+)$/m))[1] as string;
    expect(decodeGroupInvite(invite).ok).toBe(true);
    const join1 = track(spawnQuintet(['group', 'join', join(home, 'm1.json'), invite]));
    expect(await join1.exited).toBe(0);
    const source = await tempDir();
    const hubProfile = { kind: 'cloud' as const, part: 'hub' as const, group: 'hub.json', sources: [source], preset: 'two-way' as const, expectedMembers: ['branch-1'] };
    const io = await testIo();
    let extended = false;
    const alone = await runGroupOnce(hubProfile, { io, signal: io.controller.signal, maxWaitMs: 500, slots: ['alone'], baseDir: home, deviceName: 'hub', onExtend: (extend) => ((extended = true), extend(500)) });
    expect(extended).toBe(true);
    expect(alone).toMatchObject({ status: 'no-members', present: [], missing: ['branch-1'], bytes: 0, errors: [] });
    expect(io.lines).toContain('Wait extended by 0.5 s.');

    // A group member creates the run's rendezvous first (its own run as "hub" with a member's file is refused before that).
    const memberAsHub = await runGroupOnce({ ...hubProfile, group: 'm1.json' }, { io, signal: io.controller.signal, maxWaitMs: 500, slots: ['taken'], baseDir: home });
    expect(memberAsHub).toMatchObject({ status: 'failed', message: expect.stringContaining("is a member's group file") });
    const squatterIo = await testIo();
    const squatter = runGroupOnce({ ...hubProfile, expectedMembers: ['nobody'] }, { io: squatterIo, signal: io.controller.signal, maxWaitMs: 60_000, slots: ['taken'], baseDir: home });
    await until(() => squatterIo.lines.some((l) => l.includes('waiting up to')));
    const hubIo = await testIo();
    const taken = await runGroupOnce(hubProfile, { io: hubIo, signal: hubIo.controller.signal, maxWaitMs: 500, slots: ['taken'], baseDir: home });
    expect(taken).toMatchObject({ status: 'failed', message: expect.stringContaining("someone else already holds this run's rendezvous") });
    io.controller.abort();
    expect(await squatter).toMatchObject({ status: 'stopped' });
  }, 120_000);
});
