/**
 * A `quintet join` member observes its folder between inventories (docs/protocol.md §3.1, adapters/node/node-observer.ts):
 * the real command in this process, its leader a Node member here too (as the page would lead), real files, real
 * WebRTC through a real signaling server. An inventory by hand after changes walks only what changed and says so; the
 * leader's "every file again" walks whole; leaving stops the watches.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withSignalingServer } from './test-server.ts';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo } from './test-io.ts';
import { CloudMember } from '../core/cloud/member.ts';
import type { Comparison } from '../core/compare/types.ts';
import type { InventoryScope } from '../core/cloud/cloud-session-types.ts';
import { nodeMemberPorts } from '../adapters/node/cloud-member-ports.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import { seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { until } from '../signaling/testing/cloud-members.ts';

const PARTIAL = 'Inventory B1: watched since the last inventory, only what changed was looked at again.';
/** The fs.watch handles open in this process. */
const watches = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;

describe('quintet join: inventories by hand walk only what changed', () => {
  const server = withSignalingServer([]);
  const disposers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
  });

  it('a file made, changed and deleted between two inventories is right in the second, which was partial; a whole round walks whole', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'hello.txt': 'from A' });
    await seedDir(b, { docs: { deep: { 'report.txt': 'v1' }, 'old.txt': 'old' }, 'keep.txt': 'keep' });
    const leaderPorts = nodeMemberPorts({ server: server.url, deviceName: 'page', stateDir: await tempDir('quintet-state-') });
    const leader = await CloudMember.start(leaderPorts.ports);
    disposers.push(() => leader.exit().catch(() => undefined), () => leaderPorts.dispose());
    leader.setSources([{ source: await NodeDirSink.open(a), id: a }]);

    const before = watches();
    const io = await testIo();
    const member = main(['join', leader.session.sessionId, '--password', leader.session.password, '--source', b, '--server', server.url, '--name', 'office'], io);
    await until(() => leader.session.members.length === 2 && leader.session.members.every((m) => m.connected && m.sources.length > 0), 60_000);

    /** A round started by the leader, once it compared anew; with this member's lines printed meanwhile. */
    const round = async (scope?: InventoryScope): Promise<{ comparison: Comparison; lines: string[] }> => {
      const [previous, printed] = [leader.run.comparison, io.lines.length];
      await leader.startInventory(scope);
      await until(() => leader.run.state === 'compared' && leader.run.comparison !== previous, 60_000);
      return { comparison: leader.run.comparison as Comparison, lines: io.lines.slice(printed) };
    };
    const cell = (c: Comparison, path: string) => c.rows.find((r) => r.path === path)?.cells.B1 ?? null;

    const first = await round();
    expect(first.lines).not.toContain(PARTIAL); // nothing to start from: whole
    expect(cell(first.comparison, 'docs/old.txt')).toMatchObject({ kind: 'file', size: 3 });

    await mkdir(join(b, 'new', 'sub'), { recursive: true });
    await writeFile(join(b, 'new', 'sub', 'made.txt'), 'made on B');
    await writeFile(join(b, 'docs', 'deep', 'report.txt'), 'v2, longer');
    await rm(join(b, 'docs', 'old.txt'));
    const second = await round();
    expect(second.lines).toContain(PARTIAL);
    expect(cell(second.comparison, 'new/sub/made.txt')).toMatchObject({ kind: 'file', size: 'made on B'.length });
    expect(cell(second.comparison, 'new/sub')).toMatchObject({ kind: 'directory' });
    expect(cell(second.comparison, 'docs/deep/report.txt')).toMatchObject({ kind: 'file', size: 'v2, longer'.length });
    expect(second.comparison.rows.some((r) => r.path === 'docs/old.txt')).toBe(false);
    expect(cell(second.comparison, 'keep.txt')).toMatchObject({ kind: 'file', size: 4 }); // taken from the last walk

    // The leader's "Look at every file again": whole, whatever the observer reported; the next round by hand is partial again.
    await writeFile(join(b, 'keep.txt'), 'kept, changed');
    const whole = await round('whole');
    expect(whole.lines).toContain('Inventory started by the leader.');
    expect(whole.lines).not.toContain(PARTIAL);
    expect(cell(whole.comparison, 'keep.txt')).toMatchObject({ size: 'kept, changed'.length });
    const after = await round();
    expect(after.lines).toContain(PARTIAL);

    // Leaving the session stops every watch the member opened.
    expect(watches()).toBeGreaterThan(before);
    io.controller.abort();
    expect(await member).toBe(EXIT.interrupted);
    await until(() => watches() === before);
  }, 180_000);
});
