/**
 * A `quintet join` member whose folder was emptied (its disk not mounted) in a session of two run by hand: the leader's
 * Two-way is refused and never sent, so the member learns why only from A's `left-out` (docs/protocol.md §12), and
 * prints it worded for a run by hand; then once that its folder is back. The real command in this process, its leader
 * a Node member here (as the page would lead), real files, real WebRTC through a real signaling server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { withSignalingServer } from './test-server.ts';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo } from './test-io.ts';
import { CloudMember } from '../core/cloud/member.ts';
import { nodeMemberPorts } from '../adapters/node/cloud-member-ports.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import { seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { until } from '../signaling/testing/cloud-members.ts';

const tree = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, `file ${i}`]));
const LEFT_OUT = 'B1 holds nothing where it held files at the last synchronization (a disk not mounted?): Two-way leaves it out and a Mirror from it is refused, nothing is deleted on the others; with two folders only, nothing is synchronized until it is back';
const BACK = 'B1 is back: the next synchronization takes it in again';

describe('quintet join: a folder left out of a run by hand', () => {
  const server = withSignalingServer([]);
  const disposers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
  });

  it('prints once why the leader cannot synchronize (its plan is refused, never sent), and once that B1 is back', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, tree);
    const leaderPorts = nodeMemberPorts({ server: server.url, deviceName: 'page', stateDir: await tempDir('quintet-state-') });
    const leader = await CloudMember.start(leaderPorts.ports);
    disposers.push(() => leader.exit().catch(() => undefined), () => leaderPorts.dispose());
    leader.setSources([{ source: await NodeDirSink.open(a), id: a }]);
    const io = await testIo();
    const member = main(['join', leader.session.sessionId, '--password', leader.session.password, '--source', b, '--server', server.url, '--name', 'office'], io);
    await until(() => leader.session.members.length === 2 && leader.session.members.every((m) => m.connected && m.sources.length > 0), 60_000);
    const round = async () => {
      const previous = leader.run.comparison;
      await leader.startInventory();
      await until(() => leader.run.state === 'compared' && leader.run.comparison !== previous, 60_000);
      return leader.run.planPreset({ kind: 'two-way' });
    };

    await leader.run.synchronize(await round());
    await until(() => leader.run.results.size === 2 && leader.run.state === 'done', 60_000);
    expect((await readdir(b)).filter((n) => n !== '.quintet')).toHaveLength(12);

    for (const name of Object.keys(tree)) await rm(join(b, name));
    const refused = await round();
    expect([refused.actions.length, refused.refusals]).toEqual([0, [{ path: '', reason: 'emptied', detail: 'B1' }]]);
    await until(() => io.errors.includes(LEFT_OUT), 60_000);
    await round(); // still emptied: not printed again (checked once BACK, sent after it on the same channel, is in)
    expect(io.lines).not.toContain(BACK);

    await seedDir(b, tree);
    await round();
    await until(() => io.lines.includes(BACK), 60_000);
    expect(io.errors.filter((l) => l === LEFT_OUT)).toHaveLength(1);
    expect((await readdir(a)).filter((n) => n !== '.quintet')).toHaveLength(12); // nothing was deleted on A meanwhile
    io.controller.abort();
    expect(await member).toBe(EXIT.interrupted);
  }, 180_000);
});
