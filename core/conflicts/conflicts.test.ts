import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { utf8 } from '../testing/bytes.ts';
import { runInventory } from '../inventory/inventory.ts';
import { compareInventories } from '../compare/compare.ts';
import { planPreset } from '../plan/presets.ts';
import { applyPlan } from '../transfer/apply.ts';
import { runIdAt } from '../transfer/run-id.ts';
import { listRuns } from '../versions/catalogue.ts';
import { findConflicts } from './find-conflicts.ts';
import { planResolutions, type ConflictChoice } from './resolve-conflicts.ts';
import { conflictOrigins } from './manifest-conflicts.ts';
import { keptName, parseConflictPath } from './conflict-names.ts';
import { conflictPath } from '../plan/conflict-name.ts';

const hasher = new NobleHasher();

/** Three folders A1, B1, C1 and the local flow over them: inventory, compare, apply. */
function world(trees: [MemFs, MemFs, MemFs]) {
  const clock = new ManualClock();
  const store = new MemoryStore();
  const codes = ['A1', 'B1', 'C1'];
  const sources = new Map(codes.map((c, i) => [c, trees[i] as MemFs]));
  const compare = async () => compareInventories(await Promise.all(codes.map((c, i) => runInventory({ source: trees[i] as MemFs, sourceCode: c, sourceId: c, hasher, store, clock }))));
  const planSources = codes.map((code, i) => ({ code, rootKind: 'directory' as const, name: (trees[i] as MemFs).name }));
  const apply = async (plan: Parameters<typeof applyPlan>[0]['plan']) => {
    const r = await applyPlan({ plan, sources, hasher, clock, runId: runIdAt(clock.now()) });
    clock.advance(5000);
    return r;
  };
  return { clock, compare, planSources, apply };
}

/** Two-way over three folders where A1 and B1 made `names` differently: three conflicts, B's newer edits win. */
async function conflicted(names = ['x.txt', 'docs/y.md', 'z']) {
  const [a, b, c] = [new MemFs({ name: 'A' }), new MemFs({ name: 'B' }), new MemFs({ name: 'C' })];
  for (const n of names) {
    a.writeFile(n, `A's ${n}\nline 2\n`, 1_000);
    b.writeFile(n, `B's ${n}\nline 2\n`, 2_000);
  }
  const w = world([a, b, c]);
  const plan = planPreset(await w.compare(), { kind: 'two-way' }, w.planSources, { base: null, now: w.clock.now() });
  expect(plan.conflicts).toHaveLength(names.length);
  const result = await w.apply(plan);
  expect(result.failures).toEqual([]);
  return { a, b, c, w };
}

describe('conflict names read back', () => {
  it('parses what conflictPath writes, extensions, dotfiles and -n included', () => {
    const now = new Date(2024, 0, 15, 12, 30, 5).getTime();
    for (const path of ['a.txt', 'dir/a.tar.gz', '.bashrc', 'noext', 'x/b.']) {
      const copy = conflictPath(path, 'B2', now);
      expect(parseConflictPath(copy)).toEqual({ original: path, source: 'B2', stamp: '20240115-123005', n: 1, madeAt: now });
      const second = conflictPath(path, 'B2', now, (p) => p === copy);
      expect(parseConflictPath(second)).toMatchObject({ original: path, n: 2 });
    }
    expect(parseConflictPath('report.conflicted.txt')).toBeNull();
    expect(parseConflictPath('a.conflict-F1-20240115-123005.txt')).toBeNull(); // no member F
  });

  it('gives "Keep both" a name that is no longer a conflict copy’s, avoiding taken ones', () => {
    const copy = 'docs/a.conflict-B1-20240115-120000.txt';
    expect(keptName(copy)).toBe('docs/a (B1 20240115-120000).txt');
    expect(keptName(copy, (p) => p === 'docs/a (B1 20240115-120000).txt')).toBe('docs/a (B1 20240115-120000 2).txt');
    expect(parseConflictPath(keptName(copy))).toBeNull();
  });
});

describe('finding conflicts', () => {
  it('pairs every conflict copy with its original, on every source, with the member that lost', async () => {
    const { a, w } = await conflicted();
    const pairs = findConflicts(await w.compare());
    expect(pairs.map((p) => p.original).sort()).toEqual(['docs/y.md', 'x.txt', 'z']);
    for (const p of pairs) {
      expect(p).toMatchObject({ source: 'A1', member: 'A', copyDiffers: false, blocked: false });
      expect(p.copy.map((s) => s.source)).toEqual(['A1', 'B1', 'C1']);
      expect(p.other.map((s) => s.source)).toEqual(['A1', 'B1', 'C1']);
      expect(p.copy[0]!.hash).not.toBe(p.other[0]!.hash);
      expect(p.madeAt).toBe(new Date(w.clock.now() - 5000).setMilliseconds(0)); // the plan's time, to the second
    }
    // The manifest of A's run says which run wrote each copy there.
    const { origins, unreadable } = await conflictOrigins(a);
    expect(unreadable).toBe(0);
    expect([...origins.keys()].sort()).toEqual(pairs.map((p) => p.path).filter((p) => origins.has(p)).sort());
    expect(origins.size).toBeGreaterThan(0);
  });

  it('finds a copy whose original is gone (paired with nothing) and ignores names that are not conflict copies', async () => {
    const { a, b, c, w } = await conflicted(['only.txt']);
    for (const fs of [a, b, c]) fs.delete('only.txt');
    a.writeFile('report.conflicted.txt', 'not a copy');
    const pairs = findConflicts(await w.compare());
    expect(pairs).toHaveLength(1);
    expect(pairs[0]!.other).toEqual([]);
  });
});

describe('resolving conflicts as a plan', () => {
  it('one of each choice, in one run: every source ends the same, the discarded sides are in versions', async () => {
    const { a, b, c, w } = await conflicted();
    const pairs = findConflicts(await w.compare());
    const byOriginal = new Map(pairs.map((p) => [p.original, p]));
    const choices: Array<[string, ConflictChoice]> = [['x.txt', 'this'], ['docs/y.md', 'other'], ['z', 'both']];
    const plan = planResolutions(await w.compare(), w.planSources, choices.map(([o, choice]) => ({ pair: byOriginal.get(o)!, choice })));
    expect(plan.refusals).toEqual([]);
    expect(plan.keptCopies).toEqual([]);
    expect(plan.actions.every((x) => x.type !== 'copy' || x.from === x.target)).toBe(true); // each source reads its own copy
    const result = await w.apply(plan);
    expect(result.failures).toEqual([]);
    for (const fs of [a, b, c]) {
      const tree = fs.snapshot({ exclude: ['.quintet'] });
      expect(Object.keys(tree).sort()).toEqual(['docs', 'docs/y.md', 'x.txt', 'z', `z (A1 ${parseConflictPath(byOriginal.get('z')!.path)!.stamp})`].sort());
      expect(fs.readFile('x.txt')).toEqual(utf8('A\'s x.txt\nline 2\n')); // keep this: the losing copy's content
      expect(fs.readFile('docs/y.md')).toEqual(utf8('B\'s docs/y.md\nline 2\n')); // keep the other: the original
      expect(fs.readFile('z')).toEqual(utf8('B\'s z\nline 2\n'));
      // The discarded sides went to versions, as every replace and delete does.
      const kept = (await listRuns(fs))[0]!.versions.map((v) => [v.path, v.action]);
      expect(kept).toEqual(expect.arrayContaining([['x.txt', 'replaced'], [byOriginal.get('docs/y.md')!.path, 'deleted'], [byOriginal.get('x.txt')!.path, 'deleted']]));
      const old = (await listRuns(fs))[0]!.versions.find((v) => v.path === 'x.txt')!;
      expect(fs.readFile(old.kept)).toEqual(utf8('B\'s x.txt\nline 2\n'));
    }
    expect(findConflicts(await w.compare())).toEqual([]);
  });

  it('a source lacking the copy gets it from the first holder, whose copy then stays (read after the deletes)', async () => {
    const { a, b, c, w } = await conflicted(['x.txt']);
    const [pair] = findConflicts(await w.compare());
    c.delete(pair!.path);
    const plan = planResolutions(await w.compare(), w.planSources, [{ pair: findConflicts(await w.compare())[0]!, choice: 'this' }]);
    expect(plan.keptCopies).toEqual([{ source: 'A1', path: pair!.path }]);
    expect((await w.apply(plan)).failures).toEqual([]);
    for (const fs of [a, b, c]) expect(fs.readFile('x.txt')).toEqual(utf8('A\'s x.txt\nline 2\n'));
    expect(a.readFile(pair!.path)).toBeDefined();
    expect(b.readFile(pair!.path)).toBeUndefined();
  });

  it('keep the other also brings a source whose original differs back to the first holder’s', async () => {
    const { b, c, w } = await conflicted(['x.txt']);
    c.writeFile('x.txt', 'edited on C since', 9_000);
    const [pair] = findConflicts(await w.compare());
    const plan = planResolutions(await w.compare(), w.planSources, [{ pair: pair!, choice: 'other' }]);
    expect(plan.actions.filter((x) => x.type === 'copy').map((x) => [x.target, x.type === 'copy' && x.from])).toEqual([['C1', 'A1']]);
    await w.apply(plan);
    expect(c.readFile('x.txt')).toEqual(b.readFile('x.txt'));
  });

  it('refuses a pair chosen twice and a pair that some source could not read; writes nothing to a file source', async () => {
    const { w } = await conflicted(['x.txt', 'y.txt']);
    const comparison = await w.compare();
    const [p, q] = findConflicts(comparison);
    const twice = planResolutions(comparison, w.planSources, [{ pair: p!, choice: 'this' }, { pair: p!, choice: 'other' }, { pair: q!, choice: 'other' }]);
    expect(twice.refusals.map((r) => r.reason)).toEqual(['contradictory', 'contradictory']);
    expect(twice.actions.every((x) => x.path === q!.path || (x.type === 'copy' && x.targetPath === q!.original))).toBe(true);
    const blocked = planResolutions(comparison, w.planSources, [{ pair: { ...q!, blocked: true }, choice: 'this' }]);
    expect(blocked).toMatchObject({ actions: [], refusals: [{ path: q!.path, reason: 'unreadable' }] });
    const fileC = w.planSources.map((s) => (s.code === 'C1' ? { ...s, rootKind: 'file' as const } : s));
    expect(planResolutions(comparison, fileC, [{ pair: q!, choice: 'other' }]).actions.some((x) => x.target === 'C1')).toBe(false);
  });
});
