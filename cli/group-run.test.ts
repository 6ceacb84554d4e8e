/**
 * A standing group's runs in this process (runGroupOnce, real signaling server, real WebRTC): the hub's wait through a
 * WaitWindow that extend reaches, no-members, a squatter on the rendezvous, a run past its maxRunTime. The same with
 * `quintet run` processes is cli/standing-group.test.ts.
 */
import { withSignalingServer } from './test-server.ts';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { WaitWindow } from '../core/unattended/schedule.ts';
import { nodeClock } from '../adapters/node/cloud-deps.ts';
import { spawnQuintet, type CliProcess } from './cli-process.ts';
import { runGroupOnce } from './run-cloud.ts';
import { until } from '../signaling/testing/cloud-members.ts';
import { testIo } from './test-io.ts';
import { decodeGroupInvite } from '../core/unattended/group.ts';

const running: CliProcess[] = [];
const track = (p: CliProcess) => (running.push(p), p);

/** A group with its hub's file and one member's in `home`, made by the real `quintet group` commands. */
async function groupIn(home: string, server: string, name: string): Promise<void> {
  const create = track(spawnQuintet(['group', 'create', join(home, 'hub.json'), '--name', name, '--server', server]));
  const invite = (await create.line(/^Invite \(a secret[^\n]*\n(\S+)$/m))[1] as string;
  expect(decodeGroupInvite(invite).ok).toBe(true);
  const join1 = track(spawnQuintet(['group', 'join', join(home, 'm1.json'), invite]));
  expect(await join1.exited).toBe(0);
}

describe('standing group, in process', () => {
  const server = withSignalingServer(running);

  it('a hub nobody joins waits its extended window and records no-members with everyone missing; a squatter on the rendezvous fails the hub\'s run, saying so', async () => {
    const home = await tempDir('quintet-group-');
    await groupIn(home, server.url, 'Lonely');
    const source = await tempDir();
    const hubProfile = { kind: 'cloud' as const, part: 'hub' as const, group: 'hub.json', sources: [source], preset: 'two-way' as const, expectedMembers: ['branch-1'] };
    const io = await testIo();
    // The wait is the WaitWindow handed in (quintet run hands its runner's, which --extend reaches): extended by 0.5 s.
    let window: WaitWindow | undefined;
    const openWindow = (expected: readonly string[], ms: number) => {
      window = new WaitWindow({ clock: io.clock, timers: nodeClock }, expected, ms);
      window.extend(500);
      return window;
    };
    const alone = await runGroupOnce(hubProfile, { io, signal: io.controller.signal, maxWaitMs: 500, slots: ['alone'], baseDir: home, deviceName: 'hub', openWindow });
    expect(alone).toMatchObject({ status: 'no-members', present: [], missing: ['branch-1'], bytes: 0, errors: [] });
    expect(window?.expected).toEqual(['branch-1']);
    expect(window?.closed).toBe(true);
    expect(window!.deadline - window!.opened).toBe(1000);
    expect(Date.now() - window!.opened).toBeGreaterThanOrEqual(1000);

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

  it('a run that goes past its maxRunTime stops cleanly and is recorded failed with the reason, on the hub; its member says the hub ended the run', async () => {
    const home = await tempDir('quintet-group-');
    await groupIn(home, server.url, 'Slow');
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'from-hub.txt': 'head office' });
    const hubIo = await testIo();
    const memberIo = await testIo();
    const options = { maxWaitMs: 60_000, slots: ['overtime'], baseDir: home };
    // 1 ms: the bound passes as soon as the member is in, before any comparison (a round that never ends, made short).
    const hub = runGroupOnce({ kind: 'cloud', part: 'hub', group: 'hub.json', sources: [a], preset: 'two-way', expectedMembers: ['branch-1'] }, { ...options, io: hubIo, signal: hubIo.controller.signal, deviceName: 'hub', maxRunMs: 1 });
    const member = runGroupOnce({ kind: 'cloud', part: 'member', group: 'm1.json', sources: [b] }, { ...options, io: memberIo, signal: memberIo.controller.signal, deviceName: 'branch-1' });
    expect(await hub).toMatchObject({ status: 'failed', present: ['branch-1'], missing: [], message: 'the run did not end within its maxRunTime (0.0 s): stopped', counts: { done: 0 } });
    expect(hubIo.errors.join('\n')).toContain('Run failed: the run did not end within its maxRunTime');
    expect(await member).toMatchObject({ status: 'failed', present: ['hub'], message: 'the hub ended the run before this member had a result' });
    expect(hubIo.controller.signal.aborted).toBe(false);
  }, 120_000);
});
