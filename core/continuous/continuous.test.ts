import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { until } from '../../signaling/testing/cloud-members.ts';
import { nodeCompressor } from '../../adapters/node/compressor.ts';
import { MemFs } from '../testing/memfs.ts';
import { memberPair } from './member-pair.fixture.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import type { DirSource, SourceWatcher, WatchEvent } from '../ports.ts';
import { CloudMember, type CloudMemberPorts } from '../cloud/member.ts';
import { ManualObserver } from '../testing/manual-observer.ts';
import { LEFT_OUT, MEMBER_FEATURES } from '../protocol/mesh-messages.ts';

/** A watcher the test fires by hand, as a platform's would after a change (`touch(fs)`). */
class HandWatcher implements SourceWatcher {
  readonly #watching = new Map<DirSource, Set<(e: WatchEvent) => void>>();
  watch(source: DirSource, onEvent: (e: WatchEvent) => void): () => void {
    const set = this.#watching.get(source) ?? new Set();
    this.#watching.set(source, set.add(onEvent));
    return () => set.delete(onEvent);
  }
  /** The paths that changed, as fs.watch or FileSystemObserver name them; none: a change somewhere. */
  touch(source: DirSource, ...paths: string[]): void {
    for (const f of this.#watching.get(source) ?? []) {
      if (paths.length === 0) f({ kind: 'unknown' });
      for (const path of paths) f({ kind: 'changed', path });
    }
  }
}

const files = (fs: MemFs) => Object.fromEntries(Object.entries(fs.snapshot({ exclude: ['.quintet'] })).sort(([x], [y]) => (x < y ? -1 : 1)).map(([p, b]) => [p, b === null ? null : createHash('sha256').update(b).digest('hex')]));
const same = (...all: MemFs[]) => all.every((fs) => JSON.stringify(files(fs)) === JSON.stringify(files(all[0] as MemFs)));

/**
 * Two members, A's folder seeded with `tree` and B's empty, continuous synchronization on and its first round done.
 * Both also have a live observer (rounds by hand, §3.1) that reports nothing: continuous rounds must not rely on it.
 */
async function continuousPair(tree: Parameters<typeof MemFs.from>[0], bFeatures?: readonly string[]) {
  const world = inMemoryWorld();
  const watcher = new HandWatcher();
  const observer = new ManualObserver();
  const ports = (name: string): CloudMemberPorts => ({ deps: world.deps(name), hasher: new NobleHasher(), store: new MemoryStore(), compressor: nodeCompressor, watcher, observer });
  const { a, b, A, B, connected } = await memberPair(ports, tree, bFeatures);
  observer.live(a);
  observer.live(b);
  await connected();
  await A.changeSettings({ ...A.settings, continuous: true }).sent;
  await until(() => same(a, b) && A.continuous.loop.rounds > 0 && A.continuous.loopState === 'idle');
  return { watcher, a, b, A, B, ports };
}

describe('continuous synchronization over the loopback mesh: three CloudMembers, watchers fired by hand', () => {
  it('first round is a union; an edit, a rename (no bytes), a deletion reach everyone; pause leaves a member out, resume catches it up; two-sided edits keep both', async () => {
    const world = inMemoryWorld();
    const watcher = new HandWatcher();
    const ports = (name: string): CloudMemberPorts => ({ deps: world.deps(name), hasher: new NobleHasher(), store: new MemoryStore(), compressor: nodeCompressor, watcher });
    const a = MemFs.from({ 'a.txt': 'from A', docs: { 'big.bin': patternBytes(600_000, 4) } }, { name: 'A' });
    const b = MemFs.from({ 'b.txt': 'from B' }, { name: 'B' });
    const c = new MemFs({ name: 'C' });
    const A = await CloudMember.start(ports('A'));
    const B = await CloudMember.join(ports('B'), { sessionId: A.session.sessionId, password: A.session.password });
    const C = await CloudMember.join(ports('C'), { sessionId: A.session.sessionId, password: A.session.password });
    const all = [A, B, C];
    await until(() => all.every((m) => m.session.members.length === 3 && m.session.members.every((x) => x.connected)));
    A.setSources([{ source: a, id: 'src-a' }]);
    B.setSources([{ source: b, id: 'src-b' }]);
    C.setSources([{ source: c, id: 'src-c' }]);
    await until(() => all.every((m) => m.session.members.every((x) => x.sources.length === 1)));

    // On: the first round is a union (no base yet: nothing deleted).
    await A.changeSettings({ ...A.settings, continuous: true }).sent;
    await until(() => A.continuous.loopState === 'idle' && A.continuous.loop.rounds > 0);
    expect(same(a, b, c) && b.readFile('docs/big.bin') !== undefined && a.readFile('b.txt') !== undefined).toBe(true);
    expect(all.map((m) => m.continuous.enabled)).toEqual([true, true, true]);
    expect(A.continuous.stateOf(A.session.members[1]!)).toBe('watching');

    // An edit on B: its watcher's notice makes A run a round.
    b.writeFile('b.txt', 'edited on B');
    watcher.touch(b, 'b.txt');
    await until(() => new TextDecoder().decode(c.readFile('b.txt')) === 'edited on B' && same(a, b, c));

    // A rename on A: B and C copy their own file under the new name; no byte of it crosses the mesh.
    const pulled = B.run.counters.pulledBytes + C.run.counters.pulledBytes;
    a.writeFile('docs/renamed.bin', a.readFile('docs/big.bin')!);
    a.delete('docs/big.bin');
    watcher.touch(a, 'docs/renamed.bin', 'docs/big.bin');
    await until(() => same(a, b, c) && c.readFile('docs/renamed.bin') !== undefined && c.readFile('docs/big.bin') === undefined);
    expect(B.run.counters.pulledBytes + C.run.counters.pulledBytes - pulled).toBe(0);
    expect(A.continuous.localMoves).toBe(2);
    expect(C.continuous.activity.some((e) => e.kind === 'moved' && e.path === 'docs/renamed.bin' && e.member === 'C')).toBe(true);
    expect(Object.keys(c.snapshot({ under: '.quintet/versions' })).some((p) => p.endsWith('docs/big.bin'))).toBe(true); // the old name kept

    // C pauses: A's new file does not reach it, C's own edit does not spread; on resume both go through.
    await C.continuous.pauseSelf(true);
    expect(C.run.writesPaused()).toBe(true); // and C itself refuses writes (core/hostile/paused-writes.test.ts)
    await until(() => A.continuous.stateOf(A.session.members[2]!) === 'paused');
    a.writeFile('while-paused.txt', 'new on A');
    c.writeFile('b.txt', 'edited on C while paused');
    watcher.touch(a, 'while-paused.txt');
    watcher.touch(c, 'b.txt'); // a paused member sends no notice
    await until(() => b.readFile('while-paused.txt') !== undefined);
    await until(() => A.continuous.loopState === 'idle');
    expect(c.readFile('while-paused.txt')).toBeUndefined();
    expect(new TextDecoder().decode(b.readFile('b.txt'))).toBe('edited on B');
    await C.continuous.pauseSelf(false);
    expect(C.run.writesPaused()).toBe(false);
    await until(() => same(a, b, c) && c.readFile('while-paused.txt') !== undefined);
    expect(new TextDecoder().decode(a.readFile('b.txt'))).toBe('edited on C while paused');

    // Edits of one file on A and B before a round: one wins, the other is kept as a conflict copy everywhere.
    a.writeFile('a.txt', 'A says so', Date.UTC(2030, 0, 1));
    b.writeFile('a.txt', 'B says otherwise', Date.UTC(2030, 0, 2));
    watcher.touch(a, 'a.txt');
    watcher.touch(b, 'a.txt');
    await until(() => same(a, b, c) && Object.keys(files(c)).some((p) => p.startsWith('a.conflict-')));
    const copies = Object.keys(files(a)).filter((p) => p.startsWith('a.conflict-'));
    expect(copies).toHaveLength(1);
    expect(new TextDecoder().decode(c.readFile('a.txt'))).toBe('B says otherwise');
    expect(new TextDecoder().decode(c.readFile(copies[0]!))).toBe('A says so');

    // A deletion propagates (the base tells it from a creation).
    b.delete('a.txt');
    watcher.touch(b, 'a.txt');
    await until(() => a.readFile('a.txt') === undefined && c.readFile('a.txt') === undefined);
    for (const m of all) await m.exit();
  }, 90_000);

  it('a member whose folder suddenly holds nothing (a disk unmounted) deletes nothing on the others, is reported once, and catches up once back', async () => {
    const tree = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, `file ${i}`]));
    const { watcher, a, b, A, B } = await continuousPair(tree);
    const problems: string[] = [];
    A.run.on('problem', (p) => problems.push(p));
    const said: [string, string, string | null][] = [];
    A.continuous.on('left-out', (code, why) => said.push(['A', code, why]));
    B.continuous.on('left-out', (code, why) => said.push(['B', code, why]));
    const mounted = b.snapshot({ exclude: ['.quintet'] });
    for (const path of Object.keys(mounted)) b.delete(path);
    const rounds = A.continuous.loop.rounds;
    watcher.touch(b);
    await until(() => A.continuous.loop.rounds > rounds && A.continuous.loopState === 'idle');
    watcher.touch(b); // a second round: still left out, not reported again
    await until(() => A.continuous.loop.rounds > rounds + 1 && A.continuous.loopState === 'idle');
    expect(Object.keys(files(a))).toHaveLength(12);
    expect(problems.filter((p) => p.startsWith('source-emptied:B1'))).toHaveLength(0); // said as left-out instead, localized
    // Both pages know it, once, although a round of no action sends no plan.
    await until(() => B.continuous.leftOut.get('B1') === 'emptied');
    expect(A.continuous.leftOut.get('B1')).toBe('emptied');
    expect(said.map(([m, code, why]) => `${m} ${code} ${why}`).sort()).toEqual(['A B1 emptied', 'B B1 emptied']);
    // Back: A deleted one file meanwhile; it reaches B, nothing else moves.
    for (const [path, bytes] of Object.entries(mounted)) if (bytes) b.writeFile(path, bytes);
    a.delete('f0.txt');
    watcher.touch(a, 'f0.txt');
    watcher.touch(b);
    await until(() => b.readFile('f0.txt') === undefined && A.continuous.loopState === 'idle');
    expect(same(a, b)).toBe(true);
    expect(Object.keys(files(a))).toHaveLength(11);
    await until(() => B.continuous.leftOut.size === 0);
    expect(said.filter(([, , why]) => why === null).map(([m]) => m).sort()).toEqual(['A', 'B']); // back, said once each
    for (const m of [A, B]) await m.exit();
  }, 90_000);

  it('a member whose root cannot be listed (folder removed, disk gone) is reported left out on every page once, and back once it is', async () => {
    const { watcher, a, b, A, B } = await continuousPair({ 'x.txt': 'x', 'y.txt': 'y' });
    const said: [string, string, string | null][] = [];
    A.continuous.on('left-out', (code, why) => said.push(['A', code, why]));
    B.continuous.on('left-out', (code, why) => said.push(['B', code, why]));
    b.failAlways('list', '', 'not-found');
    const rounds = A.continuous.loop.rounds;
    watcher.touch(b);
    await until(() => A.continuous.loop.rounds > rounds && A.continuous.loopState === 'idle');
    watcher.touch(b); // still gone: not said again
    await until(() => A.continuous.loop.rounds > rounds + 1 && A.continuous.loopState === 'idle');
    await until(() => B.continuous.leftOut.get('B1') === 'unreadable');
    expect(A.continuous.leftOut.get('B1')).toBe('unreadable');
    expect(said.map(([m, code, why]) => `${m} ${code} ${why}`).sort()).toEqual(['A B1 unreadable', 'B B1 unreadable']);
    expect(Object.keys(files(a))).toHaveLength(2); // nothing deleted on A
    b.clearFaults();
    watcher.touch(b);
    await until(() => A.continuous.leftOut.size === 0 && B.continuous.leftOut.size === 0);
    expect(said.filter(([, , why]) => why === null).map(([m]) => m).sort()).toEqual(['A', 'B']);
    for (const m of [A, B]) await m.exit();
  }, 90_000);

  it('a member from before (no left-out feature) is sent no left-out message: it drops and reports nothing', async () => {
    const { watcher, b, A, B } = await continuousPair({ 'x.txt': 'x' }, MEMBER_FEATURES.filter((f) => f !== LEFT_OUT));
    const dropped: string[] = [];
    B.session.on('dropped', (_from, reason) => dropped.push(reason));
    b.failAlways('list', '', 'not-found');
    const rounds = A.continuous.loop.rounds;
    watcher.touch(b);
    await until(() => A.continuous.loop.rounds > rounds && A.continuous.loopState === 'idle');
    expect(A.continuous.leftOut.get('B1')).toBe('unreadable');
    expect([B.continuous.leftOut.size, dropped]).toEqual([0, []]);
    for (const m of [A, B]) await m.exit();
  }, 90_000);

  it('a member that leaves and comes back catches up: a deletion made meanwhile is not undone, its own folder gets it', async () => {
    const world = inMemoryWorld();
    const watcher = new HandWatcher();
    const ports = (name: string): CloudMemberPorts => ({ deps: world.deps(name), hasher: new NobleHasher(), store: new MemoryStore(), compressor: nodeCompressor, watcher });
    const a = MemFs.from({ 'keep.txt': 'keep', 'gone.txt': 'to delete' }, { name: 'A' });
    const b = new MemFs({ name: 'B' });
    const c = new MemFs({ name: 'C' });
    const A = await CloudMember.start(ports('A'));
    const join = async (name: string) => CloudMember.join(ports(name), { sessionId: A.session.sessionId, password: A.session.password });
    const B = await join('B');
    const C = await join('C');
    const meshed = (ms: CloudMember[]) => until(() => ms.every((m) => m.session.members.length === ms.length && m.session.members.every((x) => x.connected && x.sources.length === 1)));
    A.setSources([{ source: a, id: 'src-a' }]);
    B.setSources([{ source: b, id: 'src-b' }]);
    C.setSources([{ source: c, id: 'src-c' }]);
    await meshed([A, B, C]);
    await A.changeSettings({ ...A.settings, continuous: true }).sent;
    await until(() => same(a, b, c) && c.readFile('gone.txt') !== undefined);
    await until(() => A.continuous.loopState === 'idle');

    await B.exit();
    await meshed([A, C]);
    a.delete('gone.txt');
    a.writeFile('new.txt', 'made while B was away');
    watcher.touch(a, 'gone.txt', 'new.txt');
    // The profile {A, C} has no base of its own: it starts from the last one, so the deletion is one (not a union).
    await until(() => c.readFile('new.txt') !== undefined && A.continuous.loopState === 'idle');
    expect(c.readFile('gone.txt')).toBeUndefined();
    expect(a.readFile('gone.txt')).toBeUndefined();

    // B comes back with its folder as it left it: it gets the new file and loses the deleted one (kept in its versions).
    const B2 = await CloudMember.join(ports('B2'), { sessionId: A.session.sessionId, password: A.session.password });
    B2.setSources([{ source: b, id: 'src-b' }]);
    await meshed([A, C, B2]);
    await until(() => b.readFile('new.txt') !== undefined && b.readFile('gone.txt') === undefined && same(a, b, c));
    expect(Object.keys(b.snapshot({ under: '.quintet/versions' })).some((p) => p.endsWith('gone.txt'))).toBe(true);
    for (const m of [A, C, B2]) await m.exit();
  }, 90_000);

  it('a member that picks its folder after joining a continuous session is synchronized by the next round, not the reconciliation', async () => {
    const { a, b, A, B, ports } = await continuousPair({ 'shared.txt': 'from A' });
    const before = A.continuous.loop.rounds;
    const C = await CloudMember.join(ports('C'), { sessionId: A.session.sessionId, password: A.session.password });
    await until(() => [A, B, C].every((m) => m.session.members.length === 3 && m.session.members.every((x) => x.connected)));
    // Its arrival starts a round, in which it has no folder yet.
    await until(() => A.continuous.loop.rounds > before && A.continuous.loopState === 'idle');
    const c = MemFs.from({ 'from-c.txt': 'picked after joining' }, { name: 'C' });
    C.setSources([{ source: c, id: 'src-c' }]);
    // Well before the reconciliation round (RECONCILE_MS, a minute): the folder's arrival in C's profile starts one.
    await until(() => a.readFile('from-c.txt') !== undefined && b.readFile('from-c.txt') !== undefined && c.readFile('shared.txt') !== undefined && same(a, b, c), 20_000);
    for (const m of [A, B, C]) await m.exit();
  }, 60_000);

  it('a round after a notice looks only at the paths the watcher named; a change it missed waits for the reconciliation round', async () => {
    const { watcher, a, b, A, B } = await continuousPair({ docs: { 'one.txt': 'one', 'two.txt': 'two' }, other: { 'three.txt': 'three' } });

    // Two edits on A, one of them missed by its watcher: the round looks at the named one only.
    a.writeFile('docs/one.txt', 'one, named');
    a.writeFile('other/three.txt', 'three, missed by the watcher');
    const listed = a.counts.list;
    const rounds = A.continuous.loop.rounds;
    watcher.touch(a, 'docs/one.txt');
    await until(() => A.continuous.loop.rounds > rounds && A.continuous.loopState === 'idle');
    expect(new TextDecoder().decode(b.readFile('docs/one.txt'))).toBe('one, named');
    expect(new TextDecoder().decode(b.readFile('other/three.txt'))).toBe('three');
    expect(a.counts.list - listed).toBe(1); // 'docs' only, not the root nor 'other'
    // Each sent a delta of its inventories, and each applied the other's: nothing fell back to whole inventories.
    for (const m of [A, B]) {
      expect(m.run.deltas.sent).toBeGreaterThan(0);
      expect(m.run.deltas.applied).toBeGreaterThan(0);
      expect(m.run.deltas.fallbacks).toBe(0);
    }

    // The reconciliation round (RECONCILE_MS after the last, here at once) walks whole and finds it.
    A.continuous.loop.send('reconcile');
    await until(() => new TextDecoder().decode(b.readFile('other/three.txt')) === 'three, missed by the watcher' && A.continuous.loopState === 'idle');
    expect(same(a, b)).toBe(true);
    for (const m of [A, B]) await m.exit();
  }, 90_000);

  it('right after a round wrote a file, its echo starts nothing but the user’s edit of it does (no wait for a reconciliation)', async () => {
    const { watcher, a, b, A, B } = await continuousPair({ 'notes.txt': 'from A' });

    // B's watcher reports B's own write late (its echo): nothing starts.
    const rounds = A.continuous.loop.rounds;
    watcher.touch(b, 'notes.txt');
    await until(() => B.continuous.echoes > 0);
    expect(A.continuous.loop.rounds).toBe(rounds);
    expect(A.continuous.loopState).toBe('idle');

    // The user edits that very file at once (within ECHO_MS of the write, same size): it reaches A in the next round.
    b.writeFile('notes.txt', 'from B', Date.now() + 5_000);
    watcher.touch(b, 'notes.txt');
    await until(() => new TextDecoder().decode(a.readFile('notes.txt')) === 'from B');
    expect(A.continuous.loop.rounds).toBeGreaterThan(rounds);
    for (const m of [A, B]) await m.exit();
  }, 90_000);
});
