/** The Local Session (seed 000): one member's sources, inventory → comparison → preset → synchronization. */
import type { CancelSignal, DirSink } from '../ports.ts';
import { Emitter } from '../events.ts';
import type { Inventory } from '../inventory/types.ts';
import type { Comparison } from '../compare/types.ts';
import type { Plan } from '../plan/types.ts';
import type { RunResult } from '../transfer/types.ts';
import type { LocalPhase, LocalSession, LocalSessionEvents, LocalSessionOptions, SourceInfo } from './local-session-types.ts';
import type { Preset } from '../plan/types.ts';
import { runInventory } from '../inventory/inventory.ts';
import { recordWrittenFiles } from '../inventory/index-cache.ts';
import { compareInventories } from '../compare/compare.ts';
import { createExcluder } from '../inventory/exclusions.ts';
import { DEFAULT_SETTINGS, validateSettings, type SessionSettings } from '../settings/settings.ts';
import { BaseStore } from '../base/base-store.ts';
import type { BaseStates } from '../base/base-types.ts';
import { presetPlan, rulesPlan, type PlanningContext } from '../plan/planner.ts';
import { applyPlan } from '../transfer/apply.ts';
import { seenIn } from '../transfer/target-check.ts';
import { runIdAt } from '../transfer/run-id.ts';
import { LocalSessionError, nextPhase, type LocalEvent } from './local-session-machine.ts';
import { skippedOf, withoutTargets } from '../plan/skipped.ts';
import { cleanUpTargets } from '../versions/retention-run.ts';
import { findStaged, removeStaged, type StagedLeftovers } from '../versions/staging.ts';
import { WatchedWalks } from '../inventory/watched-walks.ts';
import { ownWrites } from '../plan/own-writes.ts';
import { walkSettingsKey } from '../inventory/partial-walk.ts';

interface Entry {
  source: DirSink;
  id: string;
  /** `<letter>1`, `<letter>2` … in the order added, renumbered without gaps. */
  code: string;
}

/**
 * Creates a Local Session. Sources are coded `<letter>1`, `<letter>2` … in the order added,
 * renumbered without gaps on removal. Phases follow LOCAL_TRANSITIONS (local-session-machine.ts).
 * A source whose read permission is not granted is inventoried as empty with one root
 * error (`path: ''`, 'permission-denied'); the others go on, and plans refuse to touch it.
 * Write permission is asked by `synchronize` for each target of the plan, first thing (it must
 * run inside the user's click): a refused target is skipped item by item ('permission').
 */
export function createLocalSession(options: LocalSessionOptions): LocalSession {
  const { hasher, store, clock } = options;
  const letter = options.letter ?? 'A';
  const events = new Emitter<LocalSessionEvents>();
  let phase: LocalPhase = 'idle';
  let entries: Entry[] = [];
  let sources: SourceInfo[] = [];
  let inventories: Inventory[] = [];
  let comparison: Comparison | null = null;
  let settings: SessionSettings = { ...DEFAULT_SETTINGS, exclusionPatterns: [] };
  let base: BaseStates | null = null;
  let leftovers: Record<string, StagedLeftovers> = {};
  const setLeftovers = (next: Record<string, StagedLeftovers>) => {
    leftovers = Object.fromEntries(Object.entries(next).filter(([, l]) => l.files.length > 0));
    events.emit('leftovers.changed', leftovers);
  };
  /** Counts what each folder's `.quintet/tmp/` holds (`only`: those codes) and shows it, unless the sources changed meanwhile. */
  const countLeftovers = async (only?: ReadonlySet<string>) => {
    const at = entries;
    const found = await Promise.all(at.filter((e) => e.source.rootKind === 'directory' && (!only || only.has(e.code))).map(async (e) => [e.code, await findStaged(e.source)] as const));
    if (entries === at) setLeftovers(only ? { ...leftovers, ...Object.fromEntries(found) } : Object.fromEntries(found));
  };
  const baseStore = () => new BaseStore(store, new Map(entries.map((e) => [e.code, e.id])));
  // Each source observed from the moment it is added: an inventory then looks again only at what changed (docs/protocol.md §3.1).
  const walks = new WatchedWalks(options.observer, () => clock.now());

  const planning = (): PlanningContext => {
    if (phase !== 'compared') throw new LocalSessionError('bad-phase', `plan in ${phase}`);
    if (!comparison) throw new LocalSessionError('no-comparison');
    return { comparison, sources, base, now: clock.now(), traits: options.targetTraits };
  };
  const go = (event: LocalEvent) => {
    const next = nextPhase(phase, event);
    if (next === phase) return;
    phase = next;
    events.emit('phase.changed', phase);
  };
  const sourcesChanged = () => {
    go('sources-changed');
    entries = entries.map((e, i) => ({ ...e, code: `${letter}${i + 1}` }));
    sources = entries.map((e) => ({ code: e.code, rootKind: e.source.rootKind, name: e.source.name }));
    inventories = [];
    comparison = null;
    base = null;
    if (Object.keys(leftovers).length > 0) setLeftovers({});
    events.emit('sources.changed', sources);
    void countLeftovers(); // a folder just added shows what a closed tab left in it, before any inventory
  };

  const inventoryOf = async ({ code, ...entry }: Entry, signal: CancelSignal | undefined, whole: boolean): Promise<Inventory> => {
    // Reading needs read access only: write is asked when a plan first targets the source (synchronize).
    const state = await entry.source.access('read', true).catch(() => 'denied' as const);
    if (state === 'granted') {
      const checksum = settings.analysisMode === 'checksum';
      const ticket = walks.begin(entry.id, walkSettingsKey(settings), checksum || whole);
      try {
        return await runInventory({
          source: entry.source, sourceCode: code, sourceId: entry.id, hasher, store, clock, signal,
          checksum, exclude: createExcluder(settings), onProgress: (p) => events.emit('inventory.progress', p),
          ...(ticket.since ? { since: ticket.since } : {}), onSnapshot: ticket.onSnapshot,
        });
      } catch (error) {
        ticket.failed();
        throw error;
      }
    }
    events.emit('inventory.progress', { source: code, files: 0, bytes: 0, hashedBytes: 0, rate: 0, done: true });
    return {
      source: code, rootKind: entry.source.rootKind, rootName: entry.source.name, items: [],
      errors: [{ path: '', code: 'permission-denied', message: `access ${state}` }],
      stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 },
      takenAt: clock.now(),
    };
  };

  const session: LocalSession = {
    get phase() {
      return phase;
    },
    get sources() {
      return sources;
    },
    get inventories() {
      return inventories;
    },
    get comparison() {
      return comparison;
    },
    get settings() {
      return settings;
    },
    get leftovers() {
      return leftovers;
    },
    async removeLeftovers(code) {
      const entry = entries.find((e) => e.code === code);
      if (!entry) throw new LocalSessionError('unknown-source', code);
      if (phase === 'inventory' || phase === 'syncing') throw new LocalSessionError('bad-phase', `remove leftovers in ${phase}`);
      const found = leftovers[code];
      if (!found) return { files: [], bytes: 0 };
      // First thing, so that Chrome's prompt still falls within the click (folders are picked for reading only).
      const state = await entry.source.access('readwrite', true).catch(() => 'denied' as const);
      if (state !== 'granted') return found;
      const left = await removeStaged(entry.source, found);
      if (entries.includes(entry)) setLeftovers({ ...leftovers, [code]: left });
      return left;
    },
    walkOf(code) {
      const id = entries.find((e) => e.code === code)?.id;
      return id === undefined ? null : (walks.lastWalk.get(id) ?? null);
    },
    get hasBase() {
      return base !== null && Object.keys(base).length > 0;
    },

    async forgetBase(paths) {
      if (entries.length === 0) return;
      base = await baseStore().forget(paths);
    },

    setSettings(next) {
      const checked = validateSettings(next);
      if (!checked.ok) return checked.issues;
      go('settings-changed');
      settings = checked.settings;
      inventories = [];
      comparison = null;
      events.emit('settings.changed', settings);
      return [];
    },

    addSource({ source, id }) {
      if (entries.some((e) => e.id === id)) throw new LocalSessionError('duplicate-source', id);
      nextPhase(phase, 'sources-changed'); // refuse before changing anything
      entries = [...entries, { source, id, code: '' }];
      walks.observe(id, source);
      sourcesChanged();
      return sources[sources.length - 1] as SourceInfo;
    },

    removeSource(code) {
      if (!entries.some((e) => e.code === code)) throw new LocalSessionError('unknown-source', code);
      nextPhase(phase, 'sources-changed');
      for (const e of entries) if (e.code === code) walks.forget(e.id);
      entries = entries.filter((e) => e.code !== code);
      sourcesChanged();
    },

    async runInventory(runOptions = {}) {
      go('inventory-start');
      inventories = [];
      comparison = null;
      try {
        await walks.settle();
        inventories = await Promise.all(entries.map((entry) => inventoryOf(entry, runOptions.signal, runOptions.whole === true)));
        // What a tab closed mid-run left staged in each folder (the walk never looks into `.quintet/`).
        await countLeftovers();
        comparison = compareInventories(inventories, settings);
        base = await baseStore().load(); // none (or unreadable) only makes two-way a union
      } catch (error) {
        inventories = [];
        go('inventory-failed');
        throw error;
      }
      go('inventory-done');
      events.emit('comparison.ready', comparison);
      return comparison;
    },

    planPreset(preset: Preset): Plan {
      return presetPlan(planning(), preset);
    },

    planRules(input) {
      return rulesPlan(planning(), input);
    },

    async synchronize(asked, runOptions = {}): Promise<RunResult> {
      go('sync-start');
      const byCode = new Map(entries.map((e) => [e.code, e]));
      let result: RunResult;
      try {
        const refused = await writeRefused(asked, byCode);
        if (refused.size > 0) events.emit('permission.refused', [...refused]);
        const plan = withoutTargets(asked, refused);
        // What this run writes, the next inventory looks at again, whatever the observer reports of it.
        for (const [id, path] of ownWrites(plan.actions, letter, entries.map((e) => e.id))) walks.note(id, path);
        const sinks = new Map([...byCode].map(([code, e]) => [code, e.source]));
        // Retention runs only here, at the start of a run, on the targets it may write (protocol §6.1).
        const retention = await cleanUpTargets(sinks, plan.actions.map((a) => a.target), clock.now(), settings.retention);
        result = await applyPlan({
          plan,
          sources: sinks,
          hasher, clock, runId: runIdAt(clock.now()), signal: runOptions.signal, seen: seenIn(inventories, createExcluder(settings)),
          ...(options.smallCopyConcurrency ? { smallCopyConcurrency: options.smallCopyConcurrency } : {}),
          onProgress: (p) => events.emit('sync.progress', p),
        });
        if (plan.conflicts && plan.conflicts.length > 0) result = { ...result, conflicts: plan.conflicts };
        if (retention.length > 0) result = { ...result, retention };
        // Retention may have removed staged leftovers shown since the inventory (those a day old): say what is left.
        if (Object.keys(leftovers).length > 0) await countLeftovers(new Set(Object.keys(leftovers)));
        const skipped = skippedOf(plan.refusals);
        if (skipped.length > 0) result = { ...result, skipped };
        // The new base: what each source holds now, where they agree (core/base/base-store.ts).
        if (comparison) base = await baseStore().record(comparison, result.applied ?? [], base);
        // Written files are verified: record them so the next inventory of each target hashes nothing.
        await recordWrittenFiles(store, result.written ?? [], new Map(entries.map((e) => [e.code, e.id])));
      } catch (error) {
        go('sync-failed');
        throw error;
      }
      go('sync-done');
      events.emit('sync.done', result);
      return result;
    },

    dispose() {
      walks.dispose();
    },

    on(name, handler) {
      return events.on(name, handler);
    },
  };
  return session;
}

/**
 * Asks write access for every target of the plan, one at a time (Chrome shows one prompt at
 * once), and returns the targets refused. Sequential and first in `synchronize`, so the asks
 * still fall within the click that started the run.
 */
async function writeRefused(plan: Plan, byCode: ReadonlyMap<string, Entry>): Promise<Set<string>> {
  const refused = new Set<string>();
  for (const code of new Set(plan.actions.map((a) => a.target))) {
    const entry = byCode.get(code);
    if (!entry) continue;
    const state = await entry.source.access('readwrite', true).catch(() => 'denied' as const);
    if (state !== 'granted') refused.add(code);
  }
  return refused;
}
