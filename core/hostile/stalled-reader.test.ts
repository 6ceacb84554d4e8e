/** Hostile member (issue 9, follow-up of finding 3): a member that stops reading its channel must not freeze the leader. */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { cloudMembers, inventoryAll, syncAll, until, type MeshMember } from '../../signaling/testing/cloud-members.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { MemFs } from '../testing/memfs.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import { hashFile } from '../inventory/blocks.ts';
import { BUFFER_HIGH, OUTBOX_CAP, STALL_MS } from '../mesh/mesh.ts';
import { MAX_PIECE_BYTES } from '../protocol/block-frame.ts';
import type { BlocksGetMessage } from '../protocol/run-messages.ts';
import { SERVE_BYTES_PER_PEER } from '../transfer/block-server.ts';

const FILE = 2 * 1024 * 1024; // 16 blocks of 128 KiB

type Member = MeshMember<MemFs>;

/** A (leader, owns big.bin), B and C on the loopback mesh, time on a manual clock; C pulled big.bin once, honestly. */
async function threeMembers() {
  const clock = new ManualClock();
  const w = inMemoryWorld({ clock, env: { QUINTET_IDLE_TIMEOUT_MS: '86400000' } });
  const trees = [MemFs.from({ 'big.bin': patternBytes(FILE, 5) }, { name: 'A' }), new MemFs({ name: 'B' }), new MemFs({ name: 'C' })];
  const all = await cloudMembers(trees, { world: w });
  const [a, b, c] = all as [Member, Member, Member];
  const runs: string[] = [];
  c.session.on('run.command', (command, run) => command === 'start-sync' && runs.push(run));
  await inventoryAll(all, 'i-first');
  await syncAll(all, a.run.planPreset({ kind: 'mirror', from: 'A1', to: 'C1' }));
  expect(c.fs.readFile('big.bin')).toBeTruthy();
  return { clock, net: w.net, a, b, c, all, run: runs.at(-1)! };
}

describe('hostile member — a member that stops reading: the leader and the others go on, and it is dropped', () => {
  it('C asks for blocks and stops reading: A still acts, B still hears A, C holds bounded bytes, then is dropped and reported', async () => {
    const { clock, net, a, b, c, run } = await threeMembers();
    const [A, B, C] = [a.session.self, b.session.self, c.session.self];
    const dropped: [string, string, string][] = [];
    for (const m of [a, b, c]) m.session.on('member.dropped', (id, reason) => dropped.push([m.session.self, id, reason]));

    // C stops reading, then asks A for 16 MiB of blocks (its own run allowed them): A's channel to C fills up.
    net.stopReading(C);
    const truth = await hashFile(await a.fs.open('big.bin'), new NobleHasher());
    for (let k = 0; k < 16; k++) {
      const indices = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (k % 2) * 8 + i);
      const m: BlocksGetMessage = {
        type: 'blocks-get', v: 1, run, req: 1_000_000 + k, source: 'A1', path: 'big.bin', hash: truth.hash, size: FILE,
        blockSize: truth.blockSize, indices, hashes: indices.map((i) => truth.blocks[i]!),
      };
      await c.session.sendRun(A, m);
    }
    await until(() => a.session.mesh.held(C).buffered > BUFFER_HIGH);

    // The leader's start-inventory takes effect at A and reaches B; A and B exchange their inventories.
    void a.session.startInventory('i-second');
    await until(() => a.run.state === 'sharing' && b.run.state === 'sharing');
    await until(() => [a, b].every((m) => [A, B].every((id) => m.run.progress.get(id)?.done === true)));
    expect(c.run.state).toBe('done'); // C heard nothing: it does not read

    // What A holds for C: its outbox under the cap, the channel near its high-water mark, the server within budget.
    const held = a.session.mesh.held(C);
    expect(held.queued).toBeLessThanOrEqual(OUTBOX_CAP);
    expect(held.queued + held.buffered).toBeLessThanOrEqual(BUFFER_HIGH + MAX_PIECE_BYTES + SERVE_BYTES_PER_PEER);
    expect(a.run.serving(C).bytes).toBeLessThanOrEqual(SERVE_BYTES_PER_PEER);
    expect(dropped).toEqual([]);

    // Within the deadline nothing happens; past it, A drops C and says so, and so does B (its own frames to C wait
    // too, or A's roster without C tells it).
    clock.advance(STALL_MS / 2);
    expect(dropped).toEqual([]);
    clock.advance(STALL_MS);
    await until(() => dropped.length === 2);
    // A and B each hit the deadline on their own frames to C: either may report first.
    const byA = dropped.find(([who]) => who === A);
    const byB = dropped.find(([who]) => who === B);
    expect(byA).toEqual([A, C, 'stalled']);
    expect(byB?.[1]).toBe(C);
    expect(['stalled', 'leader-dropped']).toContain(byB?.[2]);
    expect(a.session.mesh.held(C)).toEqual({ queued: 0, buffered: 0 });
    for (const m of [a, b]) expect(m.session.members.map((x) => x.letter)).toEqual(['A', 'B']);
    expect(a.run.state).toBe('idle'); // as when anyone leaves mid-run: the round is reset

    // The run goes on between A and B.
    await inventoryAll([a, b], 'i-third');
    await syncAll([a, b], a.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    expect(b.fs.readFile('big.bin')).toEqual(a.fs.readFile('big.bin'));
  }, 60_000);
});
