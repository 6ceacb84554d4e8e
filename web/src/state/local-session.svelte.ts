/** UI state of a Local Session: fed by the engine's events, methods the components call. No sync logic here. */
import { createLocalSession } from '../../../core/local/local-session.ts';
import type { LocalPhase, LocalSession, SourceInfo } from '../../../core/local/local-session-types.ts';
import type { Inventory, InventoryProgress } from '../../../core/inventory/types.ts';
import type { Comparison } from '../../../core/compare/types.ts';
import type { RunResult, SyncProgress } from '../../../core/transfer/types.ts';
import { FsError } from '../../../core/errors.ts';
import { comparisonAfterRun } from '../../../core/compare/after-run.ts';
import type { SessionSettings, SettingsIssue } from '../../../core/settings/settings.ts';
import type { TargetTraits } from '../../../core/names/names.ts';
import type { StagedLeftovers } from '../../../core/versions/staging.ts';
import { FsaDirSink } from '../../../adapters/browser/fsa-dir-sink.ts';
import { browserObserver } from '../../../adapters/browser/fs-observer-watcher.ts';
import { sourceIdFor } from '../../../adapters/browser/source-registry.ts';
import { nestedWith } from '../../../adapters/browser/nested-source.ts';
import { clock, platformHasher, store } from './platform.ts';
import type { PlanningState } from './planning.ts';
import { PlanningControls } from './planning-controls.svelte.ts';
import { recordFromLocalRun } from '../../../core/unattended/record-from-result.ts';
import type { RunRecord } from '../../../core/unattended/run-record.ts';
import { history, idSuffix } from './run-history.svelte.ts';
import { endLine, liveLog } from './live-log.svelte.ts';
import { InventoryTimeLeft } from './time-left.ts';

export type { PresetKind } from './planning.ts';

interface PickerWindow {
  showDirectoryPicker(options?: { mode?: 'read' | 'readwrite' }): Promise<FileSystemDirectoryHandle>;
  showOpenFilePicker(options?: { multiple?: boolean }): Promise<FileSystemFileHandle[]>;
}

function isPickerCancel(error: unknown): boolean {
  return (error as { name?: string })?.name === 'AbortError';
}

/** A folder or file refused because it lies inside a source of the session, or holds one (nested-source.ts). */
export class NestedSourceError extends Error {
  override readonly name = 'NestedSourceError';
  constructor(readonly refused: { name: string; other: string; code: string }) {
    super(`${refused.name} lies inside ${refused.other} (${refused.code}), or holds it`);
  }
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

export class LocalSessionState extends PlanningControls implements PlanningState {
  readonly session: LocalSession;
  protected readonly planner: LocalSession;
  sources = $state.raw<readonly SourceInfo[]>([]);
  phase = $state<LocalPhase>('idle');
  progress = $state.raw<Record<string, InventoryProgress>>({});
  /** Seconds left of each source's inventory: null while its walk runs or its rate is not known yet, 0 once done. */
  inventoryLeft = $state.raw<Record<string, number | null>>({});
  #inventoryLeft = new InventoryTimeLeft();
  inventories = $state.raw<readonly Inventory[]>([]);
  /** Sources the last inventory looked at only where their observer reported changes (docs/protocol.md §3.1). */
  observedOnly = $state.raw<readonly string[]>([]);
  comparison = $state.raw<Comparison | null>(null);
  syncProgress = $state.raw<SyncProgress | null>(null);
  result = $state.raw<RunResult | null>(null);
  settings = $state.raw<SessionSettings>(null as unknown as SessionSettings);
  settingsIssues = $state.raw<SettingsIssue[]>([]);
  /** Whether the sources have a recorded base: two-way then propagates deletions. */
  hasBase = $state(false);
  /** A failure of the whole step (not of one item), as an error code or message. */
  failure = $state<{ code: string; message: string } | null>(null);
  /** Targets whose write permission was refused at the last Start synchronization (their items were skipped). */
  permissionRefused = $state.raw<readonly string[]>([]);
  /** Files a closed or reloaded tab left staged in each folder's `.quintet/tmp/`, by code (the engine's `leftovers`). */
  leftovers = $state.raw<Readonly<Record<string, StagedLeftovers>>>({});
  /** The last folder or file refused when added (it lies inside a source, or holds one); cleared by the next one taken. */
  addRefused = $state.raw<NestedSourceError['refused'] | null>(null);
  /** The record of the last synchronization, as stored in the history. */
  record = $state.raw<RunRecord | null>(null);
  /** The name the history shows for this session's runs (a saved profile's, or "Local session"). */
  profileName = 'Local session';
  /** The picked handles, in source order (A1 first): saved with a profile so it can run again. */
  handles: Array<FileSystemDirectoryHandle | FileSystemFileHandle> = [];
  #abort: AbortController | null = null;
  #lastLogged = '';
  /**
   * The engine's own sink of each picked folder, for the Versions view: restore and undo write through the same object
   * as the runs, so its cache of handles never points at a folder they moved away.
   */
  #versionSinks = new WeakMap<FileSystemDirectoryHandle, FsaDirSink>();

  /** `session`: the page's own by default; tests hand one in and feed its events. */
  constructor(session: LocalSession = createLocalSession({ hasher: platformHasher(), store, clock, letter: 'A', targetTraits: targetTraits(), observer: browserObserver() })) {
    super();
    this.session = this.planner = session;
    this.settings = this.session.settings;
    this.session.on('settings.changed', (settings) => {
      this.settings = settings;
      this.#resetPlanning();
    });
    this.session.on('sources.changed', (sources) => {
      this.sources = sources;
      this.#resetPlanning();
      // Codes are given again in order: a folder added as A2 must not show the figures of the A2 removed before it.
      this.progress = {};
      this.inventories = [];
      this.result = null;
      this.syncProgress = null;
      this.permissionRefused = [];
    });
    this.session.on('phase.changed', (phase) => (this.phase = phase));
    this.session.on('leftovers.changed', (leftovers) => (this.leftovers = leftovers));
    this.session.on('inventory.progress', (p) => {
      this.progress = { ...this.progress, [p.source]: p };
      const hashing = p.toHash && { files: p.hashedFiles ?? 0, filesTotal: p.toHash.files, bytes: p.hashedBytes, bytesTotal: p.toHash.bytes };
      this.inventoryLeft = { ...this.inventoryLeft, [p.source]: this.#inventoryLeft.update(p.source, hashing, p.done, clock.now()) };
    });
    this.session.on('comparison.ready', (c) => {
      this.comparison = c;
      this.observedOnly = this.session.sources.map((x) => x.code).filter((code) => this.session.walkOf(code) === 'partial');
      this.hasBase = this.session.hasBase;
      this.selected = new Set();
      this.targeted = [];
    });
    this.session.on('sync.progress', (p) => {
      this.syncProgress = p;
      // One line per item started, not per progress tick: the log stays readable on big runs.
      if (p.current && p.current !== this.#lastLogged) liveLog.add(`${p.actionsDone}/${p.actionsTotal} ${(this.#lastLogged = p.current)}`);
    });
    this.session.on('permission.refused', (codes) => {
      this.permissionRefused = codes;
      liveLog.add({ key: 'log.permission', params: { codes: codes.join(', ') } }, 'error');
    });
    this.session.on('sync.done', (r) => {
      this.result = r;
      this.hasBase = this.session.hasBase;
      // The grid shows what the run left, not what it was asked to do: a done copy no longer reads "A1 → A2".
      if (this.comparison) this.comparison = comparisonAfterRun(this.comparison, r.applied ?? [], r.written ?? []);
      this.plan = null;
      this.selected = new Set();
      this.targeted = [];
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
      if (!isPickerCancel(error) && !(error instanceof NestedSourceError)) this.#fail(error);
    }
  }

  async addFile(): Promise<void> {
    try {
      const [handle] = await (window as unknown as PickerWindow).showOpenFilePicker({ multiple: false });
      if (!handle) return;
      // A file picker grants read; write is asked when a plan first targets it.
      await this.#add(handle);
    } catch (error) {
      if (!isPickerCancel(error) && !(error instanceof NestedSourceError)) this.#fail(error);
    }
  }

  removeSource(code: string): void {
    const index = this.sources.findIndex((s) => s.code === code);
    if (index >= 0) this.handles.splice(index, 1);
    this.session.removeSource(code);
  }

  /** `whole`: look at every file again, whatever the folders' observers reported (docs/protocol.md §3.1). */
  async inventory(options: { whole?: boolean } = {}): Promise<void> {
    this.failure = null;
    this.result = null;
    this.plan = null;
    this.progress = {};
    this.inventoryLeft = {};
    this.#inventoryLeft = new InventoryTimeLeft();
    this.#abort = new AbortController();
    try {
      await this.session.runInventory({ signal: this.#abort.signal, ...(options.whole ? { whole: true } : {}) });
      this.inventories = this.session.inventories;
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#abort = null;
    }
  }

  /** "Remove now": deletes the staged files the last inventory found in folder `code` (called from the click). */
  async removeLeftovers(code: string): Promise<void> {
    try {
      await this.session.removeLeftovers(code);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** The page or the run that held this session is done: its folders are no longer observed. */
  dispose(): void {
    this.session.dispose();
  }

  cancel(): void {
    this.#abort?.abort();
  }

  /** Changes some settings; refused ones stay as they were and the issues are shown. */
  updateSettings(patch: Partial<SessionSettings>): void {
    this.settingsIssues = this.session.setSettings({ ...this.settings, ...patch });
  }

  async synchronize(): Promise<void> {
    if (!this.plan) return;
    this.failure = null;
    this.result = null;
    this.syncProgress = null;
    this.permissionRefused = [];
    this.#abort = new AbortController();
    const plan = this.plan;
    const start = Date.now();
    this.#lastLogged = '';
    liveLog.add({ key: 'log.sync.started', params: { profile: this.profileName, count: plan.actions.length } });
    try {
      this.result = await this.session.synchronize(plan, { signal: this.#abort.signal });
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#abort = null;
    }
    for (const r of this.result?.retention ?? []) {
      if (r.error !== undefined) liveLog.add({ key: 'retention.result.error', params: { source: r.source, reason: r.error } }, 'error');
      else liveLog.add({ key: 'retention.result', params: { source: r.source, count: r.versions, bytes: { bytes: r.bytes } } }, r.failed > 0 ? 'error' : 'info');
      if (r.failed > 0) liveLog.add({ key: 'retention.result.failed', params: { source: r.source, count: r.failed } }, 'error');
    }
    for (const f of this.result?.failures ?? []) liveLog.add(`${f.action.target}/${f.action.type === 'copy' ? f.action.targetPath : f.action.path}: ${f.code}`, 'error');
    // Read again: #fail may have set it while awaiting (TypeScript keeps the narrowing from the reset above).
    const failure = this.failure as LocalSessionState['failure'];
    const record = recordFromLocalRun({ profile: this.profileName, plan, result: this.result, failure: failure ? `${failure.code}: ${failure.message}` : undefined, start, end: Date.now(), suffix: idSuffix() });
    this.record = record;
    liveLog.add(endLine(this.profileName, record), record.status === 'ok' ? 'info' : 'error');
    await history.record(record);
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

  /** The folder sources by code, for the Versions view. */
  versionSources(): Array<{ code: string; sink: FsaDirSink }> {
    const out: Array<{ code: string; sink: FsaDirSink }> = [];
    this.sources.forEach((s, i) => {
      const handle = this.handles[i];
      if (s.rootKind !== 'directory' || !handle || handle.kind !== 'directory') return;
      let sink = this.#versionSinks.get(handle);
      if (!sink) this.#versionSinks.set(handle, (sink = new FsaDirSink(handle)));
      out.push({ code: s.code, sink });
    });
    return out;
  }

  /** The bytes of `path` in folder `code` (at most `max`; none past it), for the conflict centre; null when `code` is no folder. */
  async readOwn(code: string, path: string, max: number): Promise<{ bytes: Uint8Array; size: number } | null> {
    const own = this.versionSources().find((s) => s.code === code);
    if (!own) return null;
    const file = await own.sink.open(path);
    return { bytes: file.size <= max ? await file.read(0, file.size) : new Uint8Array(), size: file.size };
  }

  /** The folder codes `readOwn` can read: every folder of a Local Session. */
  get ownCodes(): string[] {
    return this.versionSources().map((s) => s.code);
  }

  /** Adds a saved folder (a profile's run): the same as a picked one. */
  addHandle(handle: FileSystemDirectoryHandle | FileSystemFileHandle): Promise<void> {
    return this.#add(handle);
  }

  /** Adds a source; one inside another source or holding one is refused (shown beside the buttons, and thrown). */
  async #add(handle: FileSystemDirectoryHandle | FileSystemFileHandle): Promise<void> {
    const other = await nestedWith(handle, this.handles);
    if (other) {
      const refused = { name: handle.name, other: other.name, code: this.sources[this.handles.indexOf(other)]?.code ?? '' };
      this.addRefused = refused;
      throw new NestedSourceError(refused);
    }
    this.addRefused = null;
    const id = await sourceIdFor(store, handle);
    // A Local Session copies what it just inventoried: small files keep their bytes from the inventory (fsa-dir-sink.ts).
    const sink = new FsaDirSink(handle, { keepReads: true });
    this.session.addSource({ source: sink, id });
    if (handle.kind === 'directory') this.#versionSinks.set(handle, sink);
    this.handles.push(handle);
  }

  #resetPlanning(): void {
    this.resetPlanning();
    this.comparison = null;
  }

  /** A plan replaces whatever failed before it. */
  protected override planned(): void {
    this.failure = null;
  }

  #fail(error: unknown): void {
    console.error(error);
    this.failure = error instanceof FsError ? { code: error.code, message: error.message } : { code: 'unexpected', message: String((error as Error)?.message ?? error) };
  }
}
