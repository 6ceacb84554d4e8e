/** The public face of a Local Session (seed 000): one member, several sources, inventory → compare → plan → sync. */
import type { DirSink, Hasher, Store, Clock, CancelSignal, EntryKind, SourceObserver } from '../ports.ts';
import type { Inventory, InventoryProgress } from '../inventory/types.ts';
import type { Comparison } from '../compare/types.ts';
import type { Plan, Preset } from '../plan/types.ts';
import type { RunResult, SyncProgress } from '../transfer/types.ts';
import type { SessionSettings, SettingsIssue } from '../settings/settings.ts';
import type { Rule, TargetedAction } from '../plan/rules-types.ts';
import type { TargetTraits } from '../names/names.ts';
import type { StagedLeftovers } from '../versions/staging.ts';

/** A data source as the session shows it: code A1, A2 … (member letter + number). */
export interface SourceInfo {
  code: string;
  rootKind: EntryKind;
  name: string;
}

/** Where the session stands (docs/protocol.md §7). */
export type LocalPhase = 'idle' | 'inventory' | 'compared' | 'syncing' | 'synced';


export type LocalSessionEvents = {
  'sources.changed': [SourceInfo[]];
  'settings.changed': [SessionSettings];
  'phase.changed': [LocalPhase];
  'inventory.progress': [InventoryProgress];
  'comparison.ready': [Comparison];
  'sync.progress': [SyncProgress];
  'sync.done': [RunResult];
  /** Targets whose write permission was refused at the start of a run (their items are skipped). */
  'permission.refused': [string[]];
  /** Files left staged in folders' `.quintet/tmp/` (`leftovers`), counted again as sources change, at each inventory, run and removal. */
  'leftovers.changed': [Readonly<Record<string, StagedLeftovers>>];
};

export interface LocalSessionOptions {
  hasher: Hasher;
  store: Store;
  clock: Clock;
  /** Member letter; 'A' in a Local Session. */
  letter?: string;
  /** What the targets' file systems refuse (case twins, Windows names); nothing beyond name length when absent. */
  targetTraits?: TargetTraits;
  /**
   * The platform's change notifications (FileSystemObserver): with them an inventory looks again only at what changed
   * since the last one (core/inventory/watched-walks.ts). Without, every inventory walks each source whole.
   */
  observer?: SourceObserver;
  /**
   * Small files copied at once in a run (core/transfer/apply.ts: 16 when absent). The Node member asks for more: its
   * copies wait on fdatasync in libuv's pool, and a journaling file system commits the syncs waiting together at once.
   */
  smallCopyConcurrency?: number;
}

export interface LocalSession {
  readonly phase: LocalPhase;
  readonly sources: readonly SourceInfo[];
  readonly inventories: readonly Inventory[];
  readonly comparison: Comparison | null;
  readonly settings: SessionSettings;
  /** Whether the current sources have a recorded base (a previous completed run): two-way then propagates deletions. */
  readonly hasBase: boolean;
  /**
   * Files a writer left staged in each folder's `.quintet/tmp/` (a tab closed or reloaded mid-run), counted when the
   * sources change, at each inventory and after each run, by source code; only folders that hold some. Never compared.
   */
  readonly leftovers: Readonly<Record<string, StagedLeftovers>>;
  /**
   * Removes from folder `code` the staged files last counted there (`leftovers`: only those, only in `.quintet/tmp/`,
   * and only while unchanged since), asking write access first (call it from a click). Refused while a run or an
   * inventory goes on, whose own staged files are live. Resolves with what is left there.
   */
  removeLeftovers(code: string): Promise<StagedLeftovers>;
  /** How the last inventory walked source `code`: 'partial' (only what its observer reported), 'whole', or null. */
  walkOf(code: string): 'whole' | 'partial' | null;
  /** Stops observing the sources (the session is closed). */
  dispose(): void;
  /** Replaces the settings (validated); the comparison is dropped. Returns the issues when refused. */
  setSettings(settings: SessionSettings): SettingsIssue[];
  /** Adds a source; `id` is its stable identity for the persistent index (same folder → same id). */
  addSource(options: { source: DirSink; id: string }): SourceInfo;
  /** Removes a source; later codes move down so there is no gap (A1, A2, A3 − A2 → A1, A2). */
  removeSource(code: string): void;
  /**
   * Inventories every source in parallel, then compares. Resolves with the comparison. `whole`: every source is walked
   * whole, whatever its observer reported (a folder on a network share, whose changes made elsewhere no observer sees).
   */
  runInventory(options?: { signal?: CancelSignal; whole?: boolean }): Promise<Comparison>;
  /** Builds a plan from a preset over the current comparison, with refusals explained. */
  planPreset(preset: Preset): Plan;
  /** Builds a plan from rules and targeted actions over the current comparison, checked item by item. */
  planRules(input: { rules: readonly Rule[]; targeted: readonly TargetedAction[] }): Plan;
  /** Applies a plan, keeping whatever it replaces or deletes under `.quintet/versions/<run>/`. */
  synchronize(plan: Plan, options?: { signal?: CancelSignal }): Promise<RunResult>;
  /**
   * Forgets the base of these paths (and what is under them) after an undo put them back: the next two-way run then
   * treats them as a union instead of reading the undone side as an edit (core/base/base-store.ts `forget`).
   */
  forgetBase(paths: readonly string[]): Promise<void>;
  on<K extends keyof LocalSessionEvents>(name: K, handler: (...args: LocalSessionEvents[K]) => void): () => void;
}

export type { SyncProgress };
