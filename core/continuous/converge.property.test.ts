/**
 * Property: continuous rounds over any interleaving of edits on three members, with members away for a while (left out
 * of rounds, as a paused or departed member is), converge once everyone is back and quiet, and keep every content a
 * round ever saw: in place, as a conflict copy, or in a folder's versions. The rounds are the leader's (continuous.ts):
 * Two-way over the present sources, renames made local, the base per profile of present sources, or the last one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { runInventory } from '../inventory/inventory.ts';
import { compareInventories } from '../compare/compare.ts';
import { planTwoWayAt } from '../plan/two-way.ts';
import { applyPlan } from '../transfer/apply.ts';
import { runIdAt } from '../transfer/run-id.ts';
import { baseAfterRun } from '../base/base-store.ts';
import type { BaseStates } from '../base/base-types.ts';
import { localMoves } from './continuous-plan.ts';

const runs = Number(process.env.QUINTET_PROPERTY_RUNS ?? 25);
const CODES = ['A1', 'B1', 'C1'] as const;
const PATHS = ['a.txt', 'd/b.txt', 'd/c.txt', 'e.txt'] as const;

type Op =
  | { t: 'write'; m: number; path: string }
  | { t: 'delete'; m: number; path: string }
  | { t: 'rename'; m: number; from: string; to: string }
  | { t: 'round'; away: number }; // bit i set: member i is away (left out of this round)

const member = fc.integer({ min: 0, max: 2 });
const path = fc.constantFrom(...PATHS, 'd');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('write' as const), m: member, path: fc.constantFrom(...PATHS) }),
  fc.record({ t: fc.constant('delete' as const), m: member, path }),
  fc.record({ t: fc.constant('rename' as const), m: member, from: path, to: fc.constantFrom('r.txt', 'd2') }),
  fc.record({ t: fc.constant('round' as const), away: fc.constantFrom(0, 0, 1, 2, 4) }),
);

const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : null);
/** Every content a folder holds anywhere, its versions included. */
const everything = (fs: MemFs) => new Set(Object.values(fs.snapshot()).map(text).filter((x): x is string => x !== null));
const visible = (fs: MemFs) => Object.fromEntries(Object.entries(fs.snapshot({ exclude: ['.quintet'] })).map(([p, b]) => [p, text(b)]).sort(([x], [y]) => (String(x) < String(y) ? -1 : 1)));

describe('continuous rounds (property)', () => {
  it('converge once quiet; no round loses a content any folder held', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 20 }), async (ops) => {
        const clock = new ManualClock();
        const hasher = new NobleHasher();
        const stores = CODES.map(() => new MemoryStore());
        const fss = CODES.map((c) => new MemFs({ name: c, clock }));
        fss[0]!.writeFile('a.txt', 'seed');
        const bases = new Map<string, BaseStates>(); // per profile of present sources (the leader's store)
        let last: BaseStates | null = null; // the last base loaded or recorded (RunBases' #lastBase, core/cloud/run/run-bases.ts)
        let n = 0;

        const round = async (present: number[]): Promise<number> => {
          if (present.length < 2) return 0;
          clock.advance(2000);
          const codes = present.map((i) => CODES[i]!);
          const before = new Set(fss.flatMap((fs) => [...everything(fs)]));
          const invs = await Promise.all(present.map((i) => runInventory({ source: fss[i]!, sourceCode: CODES[i]!, sourceId: CODES[i]!, hasher, store: stores[i]!, clock })));
          const comparison = compareInventories(invs);
          const key = codes.join('+');
          const inherited = last ? Object.fromEntries(codes.flatMap((c) => (last?.[c] ? [[c, last[c]]] : []))) : null;
          const base = bases.get(key) ?? (inherited && Object.keys(inherited).length > 0 ? inherited : null);
          const sources = codes.map((code) => ({ code, rootKind: 'directory' as const, name: code }));
          const { plan } = localMoves(planTwoWayAt(comparison, sources, base, clock.now()), comparison);
          const result = await applyPlan({ plan, sources: new Map(present.map((i) => [CODES[i]!, fss[i]!])), hasher, clock, runId: runIdAt(clock.now()) });
          expect(result.failures).toEqual([]);
          // A round loses nothing any folder held before it (users' own overwrites and deletions are theirs).
          const after = new Set(fss.flatMap((fs) => [...everything(fs)]));
          for (const content of before) expect(after.has(content), `${content} lost`).toBe(true);
          const next = baseAfterRun(comparison, result.applied ?? [], base);
          bases.set(key, next);
          last = { ...(last ?? {}), ...next };
          return plan.actions.length;
        };

        for (const o of ops) {
          clock.advance(1000);
          if (o.t === 'round') {
            await round([0, 1, 2].filter((i) => (o.away & (1 << i)) === 0));
            continue;
          }
          const fs = fss[o.m]!;
          try {
            if (o.t === 'write') fs.writeFile(o.path, `v${++n}`, clock.now());
            else if (o.t === 'delete') fs.delete(o.path);
            else if (o.t === 'rename') {
              const snap = fs.snapshot({ under: o.from });
              if (fs.readFile(o.from) !== undefined) fs.writeFile(o.to, fs.readFile(o.from)!, clock.now());
              else if (Object.keys(snap).length > 0) for (const [p, b] of Object.entries(snap)) if (b) fs.writeFile(`${o.to}/${p}`, b, clock.now());
              fs.delete(o.from);
            }
          } catch {
            // A write where a directory stands (or the reverse): the user's own file system refused it; nothing to sync.
          // (Writes carry the clock's time: a same-size rewrite within one mtime tick is invisible to any index.)
          }
        }
        // Everyone back, quiet: rounds until one has nothing to do.
        let actions = 1;
        for (let i = 0; i < 4 && actions > 0; i++) actions = await round([0, 1, 2]);
        expect(actions).toBe(0);
        expect(visible(fss[1]!)).toEqual(visible(fss[0]!));
        expect(visible(fss[2]!)).toEqual(visible(fss[0]!));
      }),
      { numRuns: runs },
    );
  }, 120_000);
});
