/** Drives a cloud run from crafted peer messages through the real code: walk, decode, compare, plan, plan check, runShare. */
import type { DirSink, DirSource } from '../ports.ts';
import type { Inventory } from '../inventory/types.ts';
import type { Preset } from '../plan/types.ts';
import type { RunResultMessage } from '../protocol/run-messages.ts';
import { runInventory } from '../inventory/inventory.ts';
import { createExcluder } from '../inventory/exclusions.ts';
import { compareInventories } from '../compare/compare.ts';
import { planPreset } from '../plan/presets.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.ts';
import { decodeInventories, encodeInventories, type SharedInventory } from '../transfer/compact-inventory.ts';
import { encodePlan, resolvePlan, type ResolvedPlan } from '../cloud/run/cloud-run-plan.ts';
import { runShare } from '../cloud/run/cloud-run-sync.ts';
import { localBlockProvider } from '../transfer/block-provider.ts';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';

/** The inventory round every message of these tests belongs to. */
export const ROUND = 'i1';
const hasher = new NobleHasher();
const clock = new ManualClock();

/** What a message looks like once it crossed the mesh: plain JSON (the codec's gzip changes nothing of that). */
export const wired = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** A member's own source inventoried by the real walk, with the session's default settings (as inventoryOwn does). */
export async function ownInventory(fs: DirSource, code: string): Promise<SharedInventory> {
  const id = `id-${code}`;
  const inventory = await runInventory({ source: fs, sourceCode: code, sourceId: id, hasher, store: new MemoryStore(), clock, exclude: createExcluder(DEFAULT_SETTINGS) });
  return { id, inventory };
}

/** An honest member's inventories as a receiver decodes them (`null` when the receiver refuses the message). */
export async function sentBy(letter: string, sources: readonly MemFs[]): Promise<Inventory[] | null> {
  const own = await Promise.all(sources.map((fs, i) => ownInventory(fs, `${letter}${i + 1}`)));
  return decodeInventories(wired(encodeInventories(own)), letter, 0)?.map((s) => s.inventory) ?? null;
}

/** The plan an honest leader makes of a preset over everyone's inventories, as it goes on the wire. */
export function leaderPlan(inventories: readonly Inventory[], preset: Preset): unknown {
  const comparison = compareInventories(inventories, DEFAULT_SETTINGS);
  const sources = inventories.map((i) => ({ code: i.source, rootKind: i.rootKind, name: i.rootName }));
  return encodePlan(planPreset(comparison, preset, sources, { base: null, now: clock.now() }), ROUND);
}

/**
 * One member's share of a plan it received: its own check (resolvePlan against the inventories it holds), then
 * runShare on its own sources. Blocks of other sources are read from `others` (what their owners would serve).
 */
export async function memberShare(
  own: ReadonlyMap<string, DirSink>, inventories: readonly Inventory[], plan: unknown, others: ReadonlyMap<string, DirSource>,
): Promise<{ resolved: ResolvedPlan; result: RunResultMessage } | null> {
  const resolved = resolvePlan(wired(plan), ROUND, inventories);
  if (!resolved) return null;
  const { result } = await runShare({
    run: 's1', resolved, own: new Map([...own].map(([code, fs]) => [code, { source: fs, id: `id-${code}` }])),
    remote: localBlockProvider(others), hasher, store: new MemoryStore(), clock, signal: { aborted: false }, onProgress: () => undefined,
  });
  return { resolved, result };
}
