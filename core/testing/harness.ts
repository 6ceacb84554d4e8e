/** Test harness: inventory two in-memory folders, plan Mirror or Update, apply — the whole local flow without a session. */
import type { Inventory } from '../inventory/types.ts';
import type { Plan } from '../plan/types.ts';
import type { Comparison } from '../compare/types.ts';
import type { RunResult } from '../transfer/types.ts';
import { runInventory } from '../inventory/inventory.ts';
import { compareInventories } from '../compare/compare.ts';
import { planMirror } from '../plan/mirror.ts';
import { planUpdate } from '../plan/update.ts';
import { applyPlan, type ApplyOptions } from '../transfer/apply.ts';
import { runIdAt } from '../transfer/run-id.ts';
import { MemFs } from './memfs.ts';
import { MemoryStore } from './memory-store.ts';
import { NobleHasher } from './noble-hasher.ts';
import { ManualClock } from './manual-clock.ts';

export interface Harness {
  x: MemFs;
  y: MemFs;
  clock: ManualClock;
  hasher: NobleHasher;
  store: MemoryStore;
  inventories(): Promise<[Inventory, Inventory]>;
  compare(): Promise<Comparison>;
  plan(kind?: 'mirror' | 'update'): Promise<Plan>;
  apply(plan: Plan, extra?: Partial<ApplyOptions>): Promise<RunResult>;
}

/** Two folders A1 (x) and A2 (y) with shared fakes. */
export function harness(x: MemFs, y: MemFs, clock: ManualClock = new ManualClock()): Harness {
  const hasher = new NobleHasher();
  const store = new MemoryStore();
  const h: Harness = {
    x, y, clock, hasher, store,
    inventories: async () => [
      await runInventory({ source: x, sourceCode: 'A1', sourceId: 'x', hasher, store, clock }),
      await runInventory({ source: y, sourceCode: 'A2', sourceId: 'y', hasher, store, clock }),
    ],
    compare: async () => compareInventories(await h.inventories()),
    plan: async (kind = 'mirror') => {
      const sources = [{ code: 'A1', rootKind: x.rootKind, name: x.name }, { code: 'A2', rootKind: y.rootKind, name: y.name }];
      return (kind === 'mirror' ? planMirror : planUpdate)(await h.compare(), { from: 'A1', to: 'A2' }, sources);
    },
    apply: (plan, extra = {}) =>
      applyPlan({ plan, sources: new Map([['A1', x], ['A2', y]]), hasher, clock, runId: runIdAt(clock.now()), ...extra }),
  };
  return h;
}
