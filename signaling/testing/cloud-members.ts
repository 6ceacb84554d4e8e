/** Test support: cloud members (session + run, one source each) on the in-memory world's loopback mesh, and the waits for it. */
import { nodeCompressor } from '../../adapters/node/compressor.ts';
import { MemoryStore } from '../../core/testing/memory-store.ts';
import { NobleHasher } from '../../core/testing/noble-hasher.ts';
import type { Compressor, DirSink, Hasher, SourceObserver } from '../../core/ports.ts';
import type { Plan } from '../../core/plan/types.ts';
import type { CloudSession } from '../../core/cloud/cloud-session.ts';
import { joinCloudSession, startCloudSession } from '../../core/cloud/join/cloud-start.ts';
import { CloudRun } from '../../core/cloud/run/cloud-run.ts';
import { inMemoryWorld } from './in-memory-world.ts';

/** Waits for a condition (a guard against hanging, not a measure: nothing asserts time through it). */
export async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets queued deliveries and crypto run (the in-memory world delivers on microtasks and short timers). */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 2));
}

export interface MeshMember<S extends DirSink = DirSink> {
  session: CloudSession;
  run: CloudRun;
  /** The run's own store (where the leader records the base). */
  store: MemoryStore;
  /** Its one source, `src-<i>`, coded A1, B1, C1… by join order. */
  fs: S;
}

/**
 * One member per source, the first starting the session and the others joining it, each with a CloudRun on real
 * time; resolves once everyone sees everyone connected. `world` defaults to a fresh one (pass it to reach its `net`);
 * `compressor(i)` defaults to Node's gzip.
 */
export async function cloudMembers<S extends DirSink>(
  sources: readonly S[],
  options: {
    world?: ReturnType<typeof inMemoryWorld>; compressor?: (i: number) => Compressor; features?: (i: number) => readonly string[] | undefined;
    /** Lanes member `i` opens to each peer at once (QUINTET_TEST_LANES); undefined: adaptive (none on loopback). */
    lanes?: (i: number) => number | undefined;
    /** Member `i`'s SourceObserver (rounds started by hand, docs/protocol.md §3.1); none by default. */
    observer?: (i: number) => SourceObserver | undefined;
    /** Member `i`'s Hasher; NobleHasher by default. */
    hasher?: (i: number) => Hasher | undefined;
  } = {},
): Promise<MeshMember<S>[]> {
  const world = options.world ?? inMemoryWorld();
  const clock = { now: () => Date.now() };
  const all: MeshMember<S>[] = [];
  for (const [i, fs] of sources.entries()) {
    const features = options.features?.(i);
    const lanes = options.lanes?.(i);
    const deps = { ...world.deps(`m${i}`), ...(features ? { features } : {}), ...(lanes !== undefined ? { lanes } : {}) };
    const session = i === 0 ? await startCloudSession(deps) : await joinCloudSession(deps, { sessionId: all[0]!.session.sessionId, password: all[0]!.session.password });
    const store = new MemoryStore();
    const observer = options.observer?.(i);
    const run = new CloudRun({ session, hasher: options.hasher?.(i) ?? new NobleHasher(), store, clock, compressor: options.compressor?.(i) ?? nodeCompressor, ...(observer ? { observer } : {}) });
    run.setSources([{ source: fs, id: `src-${i}` }]);
    session.setSources([{ name: fs.name, kind: 'directory' }]);
    all.push({ session, run, store, fs });
  }
  await until(() => all.every((m) => m.session.members.length === sources.length && m.session.members.every((x) => x.connected)));
  return all;
}

type Running = Pick<MeshMember, 'session' | 'run'>;

/** The first member (the leader) starts an inventory round; resolves once every member of `all` has compared. */
export async function inventoryAll(all: readonly Running[], round = `i${Date.now()}`): Promise<void> {
  await all[0]!.session.startInventory(round);
  await until(() => all.every((m) => m.run.state === 'compared'));
}

/** The leader synchronizes `plan`; resolves once every member of `all` is done and holds everyone's result. */
export async function syncAll(all: readonly Running[], plan: Plan): Promise<void> {
  await all[0]!.run.synchronize(plan);
  await until(() => all.every((m) => m.run.state === 'done' && m.run.results.size === all.length));
}
