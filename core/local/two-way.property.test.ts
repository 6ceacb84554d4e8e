import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemFs, type TreeSpec } from '../testing/memfs.ts';
import { trees } from '../testing/tree-arbitrary.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { toHex } from '../bytes.ts';
import { createLocalSession } from './local-session.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.ts';
import { EMPTIED_MIN_FILES } from '../plan/restrict.ts';

const runs = Number(process.env.QUINTET_PROPERTY_RUNS ?? 50);

// A small name pool so the base and the three sides overlap a lot (edits, deletions, file/dir swaps).
const name = fc.constantFrom('a', 'b', 'c.txt', 'd');
const content = fc.constantFrom('1', '2', '3', '', 'long content');
const tree = trees(name, content, { maxKeys: 3, maxDepth: 2 });

type Snap = Record<string, string | null>;
const hexOf = (fs: MemFs, options: { under?: string; exclude?: string[] } = {}): Snap =>
  Object.fromEntries(Object.entries(fs.snapshot(options)).map(([p, v]) => [p, v === null ? null : toHex(v)]));

/** Replaces everything a MemFs holds (its .quintet folder aside) with `spec`, at time `mtime`. */
function replaceTree(fs: MemFs, clock: ManualClock, spec: TreeSpec, mtime: number): void {
  for (const top of Object.keys(fs.snapshot()).filter((p) => !p.includes('/') && p !== '.quintet')) fs.delete(top);
  clock.set(mtime);
  fs.seed(spec);
}

describe('Two-way (property)', () => {
  it('from any base and any edits on each of three sides converges, loses no content, and is stable', async () => {
    await fc.assert(
      fc.asyncProperty(tree, fc.array(tree, { minLength: 3, maxLength: 3 }), fc.array(fc.nat(3), { minLength: 3, maxLength: 3 }), fc.boolean(), async (baseTree, sides, ages, recordBase) => {
        const clock = new ManualClock();
        const fsClock = new ManualClock();
        const session = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock });
        session.setSettings({ ...DEFAULT_SETTINGS, analysisMode: 'checksum' });
        const fss = [0, 1, 2].map((i) => MemFs.from(baseTree, { name: `s${i}`, clock: fsClock }));
        fss.forEach((source, i) => session.addSource({ source, id: `id${i}` }));
        if (recordBase) {
          // A first run over identical folders records the base (what every side held).
          await session.runInventory();
          await session.synchronize(session.planPreset({ kind: 'two-way' }));
        }
        fss.forEach((fs, i) => replaceTree(fs, fsClock, sides[i] as TreeSpec, Date.UTC(2024, 0, 1) + (ages[i] ?? 0) * 1000));
        const before = fss.map((fs) => hexOf(fs, { exclude: ['.quintet'] }));

        clock.advance(60_000);
        await session.runInventory();
        expect(session.hasBase).toBe(recordBase);
        const plan = session.planPreset({ kind: 'two-way' });
        // A side that now holds nothing where the base held a tree of files (an unmounted disk?) is left out, untouched.
        const empty = (spec: unknown) => Object.keys(spec as object).length === 0;
        const files = (spec: TreeSpec): number => Object.values(spec).reduce<number>((n, v) => n + (typeof v === 'string' || v instanceof Uint8Array ? 1 : files(v)), 0);
        const emptied = recordBase && files(baseTree) >= EMPTIED_MIN_FILES && !sides.every(empty) ? [0, 1, 2].filter((i) => empty(sides[i])) : [];
        const inPlay = [0, 1, 2].filter((i) => !emptied.includes(i));
        expect(plan.refusals).toEqual(emptied.map((i) => ({ path: '', reason: 'emptied', detail: `A${i + 1}` })));
        const result = await session.synchronize(plan);
        expect(result.failures).toEqual([]);

        const after = fss.map((fs) => hexOf(fs, { exclude: ['.quintet'] }));
        for (const i of emptied) expect(after[i]).toEqual({});
        if (inPlay.length > 1) for (const i of inPlay) expect(after[i]).toEqual(after[inPlay[0] as number]);
        for (const [i, fs] of fss.entries()) {
          const kept = hexOf(fs, { under: `.quintet/versions/${result.runId}` });
          const conflictCopies = new Set(Object.entries(after[i] as Snap).filter(([p]) => p.includes('.conflict-A')).map(([, h]) => h));
          for (const [path, hash] of Object.entries(before[i] as Snap)) {
            if (hash === null) continue;
            const reachable = after[i]?.[path] === hash || conflictCopies.has(hash) || kept[path] === hash;
            expect(reachable, `A${i + 1}:${path} lost`).toBe(true);
          }
        }
        for (const c of result.conflicts ?? []) expect(c.losers.length).toBeGreaterThan(0);

        // Stable: a fresh inventory and a second Two-way find nothing to do.
        clock.advance(60_000);
        await session.runInventory();
        expect(session.planPreset({ kind: 'two-way' }).actions).toEqual([]);
      }),
      { numRuns: runs },
    );
  }, 120_000);
});
