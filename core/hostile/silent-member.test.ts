/**
 * A member takes part in a round and never sends its inventory, or its `run-result`, its channel open and read (so the
 * mesh's stall check sees nothing wrong). The leader waited for every member's inventories before comparing and for
 * every result before recording the base, with no deadline: one such member held the round for ever
 * (docs/security.md, table row 22). Three members over the in-memory mesh, the timers on a clock the test moves.
 */
import { describe, expect, it } from 'vitest';
import { deafRun as deaf } from '../testing/deaf-run.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { MemFs } from '../testing/memfs.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import type { Hasher } from '../ports.ts';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { cloudMembers, inventoryAll, settle, syncAll, until, type MeshMember } from '../../signaling/testing/cloud-members.ts';
import { MESH_PROTOCOL_VERSION, SILENT, MEMBER_FEATURES } from '../protocol/mesh-messages.ts';
import { INVENTORY_SILENCE_MS, SHARE_SILENCE_MS } from '../cloud/run/silence.ts';
import { HEARTBEAT_MOST_MS, INVENTORY_HEARTBEAT_MS } from '../cloud/run/inventory-step.ts';

const shared = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, `file ${i}`]));
const names = (fs: MemFs) => Object.keys(fs.snapshot({ exclude: ['.quintet'] })).sort();

/** A, B and C with the same twelve files, a first Two-way done (so a base holds them all), timers on `clock`. */
async function inSync({ features, hasher }: { features?: (i: number) => readonly string[] | undefined; hasher?: (i: number) => Hasher | undefined } = {}) {
  const clock = new ManualClock(Date.now());
  const world = inMemoryWorld({ clock });
  const fss = ['A', 'B', 'C'].map((name) => MemFs.from(shared, { name }));
  const all = await cloudMembers(fss, { world, ...(features ? { features } : {}), ...(hasher ? { hasher } : {}) });
  await inventoryAll(all);
  await syncAll(all, all[0]!.run.planPreset({ kind: 'two-way' }));
  const [A, B, C] = all as [MeshMember<MemFs>, MeshMember<MemFs>, MeshMember<MemFs>];
  const silent: string[] = [];
  const problems: string[] = [];
  for (const [name, m] of [['A', A], ['C', C]] as const) {
    m.run.on('member.silent', (id, step) => silent.push(`${name}: ${m.session.members.find((x) => x.id === id)?.letter} ${step}`));
    m.run.on('problem', (p) => problems.push(`${name}: ${p}`));
  }
  /** Time passes in steps of 5 s, deliveries in between (the signaling's keep-alives see each other, as in real time). */
  const pass = async (ms: number) => {
    for (let left = ms; left > 0; left -= 5000) {
      clock.advance(Math.min(5000, left));
      await settle(3);
    }
  };
  /** A and C inventoried round `run` and A holds C's inventories (they left C before the clock moves on). */
  const othersIn = async (run: string) => {
    await until(() => [A, C].every((m) => m.run.state === 'sharing') && A.run.progress.get(C.session.self)?.run === run && A.run.progress.get(C.session.self)?.done === true);
    await settle();
  };
  return { clock, pass, A, B, C, all, silent, problems, othersIn };
}

/** A hasher that hashes a file of `size` bytes only once `wait` settles (a large file on a slow disk, or a read that hangs). */
function hasherWaitingOn(size: number, wait: Promise<void>): NobleHasher {
  const hasher = new NobleHasher();
  const hashBlocks = hasher.hashBlocks.bind(hasher);
  hasher.hashBlocks = async (file, blockSize, signal) => ((file.size === size ? await wait : undefined), hashBlocks(file, blockSize, signal));
  return hasher;
}

describe('a member that never sends its inventory', () => {
  it('holds the round only until the deadline: A and C compare without its sources, delete nothing, and say so', async () => {
    const { clock, pass, A, B, C, silent, othersIn } = await inSync();
    deaf(B, 'start-inventory');
    C.fs.writeFile('new.txt', 'from C');
    await A.session.startInventory('i-silent');
    await othersIn('i-silent');
    await pass(INVENTORY_SILENCE_MS - 1);
    await settle();
    expect([A.run.state, C.run.state]).toEqual(['sharing', 'sharing']);

    clock.advance(1);
    await until(() => [A, C].every((m) => m.run.state === 'compared'));
    expect(silent.sort()).toEqual(['A: B inventory', 'C: B inventory']);
    expect([A.run.sources.map((s) => s.code), C.run.sources.map((s) => s.code)]).toEqual([['A1', 'C1'], ['A1', 'C1']]);
    expect([A.run.silences.sources, C.run.silences.counts]).toEqual([['B1'], { inventory: 1, sync: 0 }]);
    // B's twelve files are missing from the round, not deleted: the plan copies C's new file to A, and touches no B1.
    const plan = A.run.planPreset({ kind: 'two-way' });
    expect(plan.actions.map((a) => `${a.type} ${a.target} ${a.path}`)).toEqual(['copy A1 new.txt']);
    await A.run.synchronize(plan);
    await until(() => [A, C].every((m) => m.run.state === 'done' && m.run.results.size === 2));
    expect([names(A.fs), names(B.fs), names(C.fs)].map((n) => n.length)).toEqual([13, 12, 13]);
    for (const m of [A, B, C]) await m.session.exit();
  }, 30_000);

  it('an honest member whose long walk keeps reporting progress is not cut, however long it takes', async () => {
    const { clock, A, B, C, silent, othersIn } = await inSync();
    const walk = deaf(B, 'start-inventory');
    await A.session.startInventory('i-slow');
    await othersIn('i-slow');
    // Five minutes of walking, a word every 50 s (a walk says one every 250 ms while it finds or hashes files).
    for (let i = 0; i < 6; i++) {
      clock.advance(50_000);
      await B.session.broadcastRun({ type: 'run-progress', v: MESH_PROTOCOL_VERSION, run: 'i-slow', stage: 'inventory', files: i, filesTotal: i, bytes: 0, bytesTotal: 0, rate: 0, done: false });
      await settle();
    }
    expect([A.run.state, C.run.state, silent]).toEqual(['sharing', 'sharing', []]);
    walk.release();
    await until(() => [A, B, C].every((m) => m.run.state === 'compared'));
    expect(A.run.sources.map((s) => s.code)).toEqual(['A1', 'B1', 'C1']);
    expect(silent).toEqual([]);
    for (const m of [A, B, C]) await m.session.exit();
  }, 30_000);

  it('a member hashing one large file for minutes (no progress within a file) is heard by its heartbeat, not cut', async () => {
    const BIG = 777_777;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = hasherWaitingOn(BIG, held);
    const { pass, A, B, C, silent, othersIn } = await inSync({ hasher: (i) => (i === 1 ? slow : undefined) });
    B.fs.writeFile('big.bin', 'x'.repeat(BIG));
    await A.session.startInventory('i-big');
    await othersIn('i-big');
    await pass(5 * INVENTORY_SILENCE_MS);
    expect([A.run.state, C.run.state, silent]).toEqual(['sharing', 'sharing', []]);
    release();
    await until(() => [A, B, C].every((m) => m.run.state === 'compared'));
    expect(A.run.sources.map((s) => s.code)).toEqual(['A1', 'B1', 'C1']);
    for (const m of [A, B, C]) await m.session.exit();
  }, 60_000);

  it('a member whose hashing hangs for ever beats at most HEARTBEAT_MOST_MS, then the round goes on without it', async () => {
    const hung = hasherWaitingOn(777_777, new Promise<void>(() => undefined));
    const { pass, A, B, C, silent, othersIn } = await inSync({ hasher: (i) => (i === 1 ? hung : undefined) });
    B.fs.writeFile('big.bin', 'x'.repeat(777_777));
    await A.session.startInventory('i-hung');
    await othersIn('i-hung');
    await pass(HEARTBEAT_MOST_MS - 60_000);
    expect([A.run.state, silent]).toEqual(['sharing', []]);
    await pass(60_000 + INVENTORY_SILENCE_MS + INVENTORY_HEARTBEAT_MS);
    await until(() => [A, C].every((m) => m.run.state === 'compared'));
    expect(silent).toEqual(['A: B inventory', 'C: B inventory']);
    expect(A.run.sources.map((s) => s.code)).toEqual(['A1', 'C1']);
    for (const m of [A, B, C]) await m.session.exit();
  }, 60_000);

  it('a late inventory of the round it was cut from is not taken for the next one', async () => {
    const { pass, A, B, C, silent, othersIn } = await inSync();
    const walk = deaf(B, 'start-inventory');
    await A.session.startInventory('i-1');
    await othersIn('i-1');
    await pass(INVENTORY_SILENCE_MS);
    await until(() => [A, C].every((m) => m.run.state === 'compared'));
    // The next round: B, still in round i-1 (its session took that start-inventory), does not take this one.
    await A.session.startInventory('i-2');
    await othersIn('i-2');
    walk.release(); // i-1's walk ends now: its inventories reach A and C, tagged i-1
    await until(() => B.run.state === 'sharing');
    await settle();
    expect([A.run.state, C.run.state]).toEqual(['sharing', 'sharing']);
    await pass(INVENTORY_SILENCE_MS);
    await until(() => [A, C].every((m) => m.run.state === 'compared'));
    expect(A.run.sources.map((s) => s.code)).toEqual(['A1', 'C1']);
    expect(silent.filter((s) => s.startsWith('A:'))).toEqual(['A: B inventory', 'A: B inventory']);
    // The round after it has B again, and nothing to do: nobody's folder was changed by the rounds without it.
    await inventoryAll([A, B, C], 'i-3');
    expect(A.run.sources.map((s) => s.code)).toEqual(['A1', 'B1', 'C1']);
    expect(A.run.planPreset({ kind: 'two-way' }).actions).toEqual([]);
    for (const m of [A, B, C]) await m.session.exit();
  }, 30_000);

  it('with a member from before `silent` among the others, the round waits as before, and A says why', async () => {
    const { pass, A, B, C, silent, problems, othersIn } = await inSync({ features: (i) => (i === 2 ? MEMBER_FEATURES.filter((f) => f !== SILENT) : undefined) });
    deaf(B, 'start-inventory');
    await A.session.startInventory('i-old');
    await othersIn('i-old');
    await pass(INVENTORY_SILENCE_MS);
    await settle();
    expect([A.run.state, C.run.state, silent]).toEqual(['sharing', 'sharing', []]);
    expect(problems).toEqual(['A: silent-kept:B: C would wait for it']);
    for (const m of [A, B, C]) await m.session.exit();
  }, 30_000);
});

describe('a member that never sends its run-result', () => {
  it('the sync ends for the others after the deadline, its actions not confirmed; its late result is not taken', async () => {
    const { clock, pass, A, B, C, silent, problems } = await inSync();
    const share = deaf(B, 'start-sync');
    A.fs.writeFile('new.txt', 'from A');
    await inventoryAll([A, B, C], 'i-sync');
    await A.run.synchronize(A.run.planPreset({ kind: 'two-way' }));
    await until(() => [A, C].every((m) => m.run.state === 'done' && m.run.results.size === 2));
    await pass(SHARE_SILENCE_MS - 1);
    await settle();
    expect([A.run.results.size, silent]).toEqual([2, []]);

    clock.advance(1);
    await until(() => silent.length === 2);
    expect(silent.sort()).toEqual(['A: B sync', 'C: B sync']);
    expect(A.run.silences.members).toEqual(new Set([B.session.self]));
    // The base is recorded without B's copy: where the sources still differ it keeps what it held (nothing of new.txt).
    await settle();
    expect(['A1', 'B1', 'C1'].map((c) => A.run.base?.[c]?.has('new.txt') ?? false)).toEqual([false, false, false]);
    expect(A.run.base?.['B1']?.has('f0.txt')).toBe(true);

    share.release(); // B answers late: its copy is made, its result is not taken
    await until(() => B.run.state === 'done');
    await until(() => problems.length === 2);
    expect(problems.sort()).toEqual(['A: result-late:B', 'C: result-late:B']);
    expect(A.run.results.has(B.session.self)).toBe(false);
    // The next round finds B holding the file and nothing to do.
    await inventoryAll([A, B, C], 'i-after');
    expect(A.run.planPreset({ kind: 'two-way' }).actions).toEqual([]);
    expect(names(B.fs)).toContain('new.txt');
    for (const m of [A, B, C]) await m.session.exit();
  }, 30_000);
});
