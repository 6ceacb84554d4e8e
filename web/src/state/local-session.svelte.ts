/** UI state of a Local Session: fed by the engine's events, methods the components call. No sync logic here. */
import { createLocalSession } from '../../../core/session/local-session.ts';
import type { LocalPhase, LocalSession, SourceInfo } from '../../../core/session/local-session-types.ts';
import type { Inventory, InventoryProgress } from '../../../core/inventory/types.ts';
import type { Comparison } from '../../../core/compare/types.ts';
import type { Plan } from '../../../core/plan/types.ts';
import type { RunResult, SyncProgress } from '../../../core/transfer/types.ts';
import { FsError } from '../../../core/errors.ts';
import type { SessionSettings, SettingsIssue } from '../../../core/session/settings.ts';
import type { Rule, TargetedAction } from '../../../core/plan/rules-types.ts';
import type { TargetTraits } from '../../../core/names/names.ts';
import { FsaDirSink } from '../../../adapters/browser/fsa-dir-sink.ts';
import { sourceIdFor } from '../../../adapters/browser/source-registry.ts';
import { clock, platformHasher, store } from './platform.ts';
import { targetedFor, toggled, type PlanningState, type PresetKind } from './planning.ts';

export type { PresetKind } from './planning.ts';

interface PickerWindow {
  showDirectoryPicker(options?: { mode?: 'read' | 'readwrite' }): Promise<FileSystemDirectoryHandle>;
  showOpenFilePicker(options?: { multiple?: boolean }): Promise<FileSystemFileHandle[]>;
}

function isPickerCancel(error: unknown): boolean {
  return (error as { name?: string })?.name === 'AbortError';
}

/**
 * What this machine's file systems refuse, from the platform the browser reports: Windows
 * folds case and has its reserved names; macOS folds case by default; elsewhere only lengths.
 * A browser cannot ask a folder's file system, so a FAT stick on Linux is not caught here.
 */
function targetTraits(): TargetTraits {
  const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
  if (/Windows/i.test(ua)) return { caseInsensitive: true, windows: true };
  if (/Macintosh|Mac OS X/i.test(ua)) return { caseInsensitive: true, windows: false };
  return { caseInsensitive: false, windows: false };
}

export class LocalSessionState implements PlanningState {
  readonly session: LocalSession;
  sources = $state.raw<readonly SourceInfo[]>([]);
  phase = $state<LocalPhase>('idle');
  progress = $state.raw<Record<string, InventoryProgress>>({});
  inventories = $state.raw<readonly Inventory[]>([]);
  comparison = $state.raw<Comparison | null>(null);
  plan = $state.raw<Plan | null>(null);
  syncProgress = $state.raw<SyncProgress | null>(null);
  result = $state.raw<RunResult | null>(null);
  settings = $state.raw<SessionSettings>(null as unknown as SessionSettings);
  settingsIssues = $state.raw<SettingsIssue[]>([]);
  /** Whether the sources have a recorded base: two-way then propagates deletions. */
  hasBase = $state(false);
  rules = $state.raw<readonly Rule[]>([]);
  targeted = $state.raw<readonly TargetedAction[]>([]);
  /** Paths of the comparison rows ticked for a targeted action. */
  selected = $state.raw<ReadonlySet<string>>(new Set());
  /** A failure of the whole step (not of one item), as an error code or message. */
  failure = $state<{ code: string; message: string } | null>(null);
  /** Targets whose write permission was refused at the last Start synchronization (their items were skipped). */
  permissionRefused = $state.raw<readonly string[]>([]);
  #abort: AbortController | null = null;

  constructor() {
    this.session = createLocalSession({ hasher: platformHasher(), store, clock, letter: 'A', targetTraits: targetTraits() });
    this.settings = this.session.settings;
    this.session.on('settings.changed', (settings) => {
      this.settings = settings;
      this.#resetPlanning();
    });
    this.session.on('sources.changed', (sources) => {
      this.sources = sources;
      this.#resetPlanning();
    });
    this.session.on('phase.changed', (phase) => (this.phase = phase));
    this.session.on('inventory.progress', (p) => (this.progress = { ...this.progress, [p.source]: p }));
    this.session.on('comparison.ready', (c) => {
      this.comparison = c;
      this.hasBase = this.session.hasBase;
      this.selected = new Set();
      this.targeted = [];
    });
    this.session.on('sync.progress', (p) => (this.syncProgress = p));
    this.session.on('permission.refused', (codes) => (this.permissionRefused = codes));
    this.session.on('sync.done', (r) => {
      this.result = r;
      this.hasBase = this.session.hasBase;
    });
    // Tests read the engine's counters (hashed bytes) through this read-only handle.
    (globalThis as { __quintet?: unknown }).__quintet = { session: this.session };
  }

  /** Called from a click: the picker must run inside the user gesture. */
  async addDirectory(): Promise<void> {
    try {
      // Read access only: write is asked when a plan first targets the folder (Start synchronization).
      const handle = await (window as unknown as PickerWindow).showDirectoryPicker({ mode: 'read' });
      await this.#add(handle);
    } catch (error) {
      if (!isPickerCancel(error)) this.#fail(error);
    }
  }

  async addFile(): Promise<void> {
    try {
      const [handle] = await (window as unknown as PickerWindow).showOpenFilePicker({ multiple: false });
      if (!handle) return;
      // A file picker grants read; write is asked when a plan first targets it.
      await this.#add(handle);
    } catch (error) {
      if (!isPickerCancel(error)) this.#fail(error);
    }
  }

  removeSource(code: string): void {
    this.session.removeSource(code);
  }

  async inventory(): Promise<void> {
    this.failure = null;
    this.result = null;
    this.plan = null;
    this.progress = {};
    this.#abort = new AbortController();
    try {
      await this.session.runInventory({ signal: this.#abort.signal });
      this.inventories = this.session.inventories;
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#abort = null;
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }

  applyPreset(kind: PresetKind, from: string, to: string): void {
    this.failure = null;
    this.plan = this.session.planPreset(kind === 'two-way' ? { kind } : { kind, from, to });
  }

  /** Changes some settings; refused ones stay as they were and the issues are shown. */
  updateSettings(patch: Partial<SessionSettings>): void {
    this.settingsIssues = this.session.setSettings({ ...this.settings, ...patch });
  }

  addRule(rule: Rule): void {
    this.rules = [...this.rules, rule];
    this.applyRules();
  }

  removeRule(index: number): void {
    this.rules = this.rules.filter((_, i) => i !== index);
    this.applyRules();
  }

  /** Builds the plan from the rules and the targeted actions (which win on their items). */
  applyRules(): void {
    if (this.phase !== 'compared') return;
    this.failure = null;
    this.plan = this.session.planRules({ rules: this.rules, targeted: this.targeted });
  }

  toggleSelected(path: string): void {
    this.selected = toggled(this.selected, path);
  }

  /** Adds a targeted action on the selected rows (see `targetedFor`); the plan is rebuilt at once. */
  targetSelection(choice: string): void {
    const added = targetedFor(choice, [...this.selected], this.sources);
    if (added.length === 0) return;
    this.targeted = [...this.targeted, ...added];
    this.selected = new Set();
    this.applyRules();
  }

  clearTargeted(): void {
    this.targeted = [];
    this.applyRules();
  }

  async synchronize(): Promise<void> {
    if (!this.plan) return;
    this.failure = null;
    this.result = null;
    this.syncProgress = null;
    this.permissionRefused = [];
    this.#abort = new AbortController();
    try {
      this.result = await this.session.synchronize(this.plan, { signal: this.#abort.signal });
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#abort = null;
    }
  }

  get busy(): boolean {
    return this.phase === 'inventory' || this.phase === 'syncing';
  }

  get canEditSettings(): boolean {
    return !this.busy;
  }

  get canPlan(): boolean {
    return this.phase === 'compared';
  }

  async #add(handle: FileSystemDirectoryHandle | FileSystemFileHandle): Promise<void> {
    const id = await sourceIdFor(store, handle);
    this.session.addSource({ source: new FsaDirSink(handle), id });
  }

  #resetPlanning(): void {
    this.plan = null;
    this.comparison = null;
    this.selected = new Set();
    this.targeted = [];
  }

  #fail(error: unknown): void {
    console.error(error);
    this.failure = error instanceof FsError ? { code: error.code, message: error.message } : { code: 'unexpected', message: String((error as Error)?.message ?? error) };
  }
}
