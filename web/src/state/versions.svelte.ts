/** UI state of the Versions view of one Local Session source: its kept versions, restore, and undo of the last run. */
import type { DirSink, Hasher, Clock } from '../../../core/ports.ts';
import { FsError, toFsError } from '../../../core/errors.ts';
import { listRuns, type KeptVersion, type RunInfo, type UnreadableRun } from '../../../core/versions/catalogue.ts';
import { RestoreError, restoreVersion, type RestoreResult } from '../../../core/versions/restore.ts';
import { t } from '../i18n/i18n.svelte.ts';
import { lastRun, undoLastRun, type UndoResult } from '../../../core/versions/undo.ts';

/** One row of the Versions table: a kept version with its run's kind. */
export interface VersionRow extends KeptVersion {
  /** Unique within the source: run and kept path. */
  key: string;
  runKind: RunInfo['kind'];
  /** The path folded for search (lower case). */
  folded: string;
}

/** The rows of a catalogue: runs newest first (as listRuns gives them), paths in code-unit order within a run. */
export function rowsOf(runs: readonly RunInfo[]): VersionRow[] {
  const out: VersionRow[] = [];
  for (const run of runs) {
    const sorted = [...run.versions].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const v of sorted) out.push({ ...v, key: `${v.run}\0${v.kept}`, runKind: run.kind, folded: v.path.toLowerCase() });
  }
  return out;
}

/** The rows whose path holds every word of the query, case folded; all of them for an empty query. */
export function searchRows(rows: readonly VersionRow[], query: string): readonly VersionRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((r) => words.every((w) => r.folded.includes(w)));
}

export interface VersionSource {
  code: string;
  sink: DirSink;
}

/**
 * A cloud member's own folders for the Versions view, by code (`<letter>1` … in the order of its sources, files
 * counted): only these, a member never reads or restores another member's folders. A file source keeps no versions.
 */
export function ownVersionSources(letter: string, own: readonly { source: DirSink }[]): VersionSource[] {
  return own.flatMap(({ source }, i) => (source.rootKind === 'directory' ? [{ code: `${letter}${i + 1}`, sink: source }] : []));
}

/** What an undo did on one source. */
export interface SourceUndo {
  source: string;
  result: UndoResult;
}

export class VersionsState {
  source = $state('');
  runs = $state.raw<readonly RunInfo[]>([]);
  rows = $state.raw<readonly VersionRow[]>([]);
  query = $state('');
  loading = $state(false);
  /** A failure reading, restoring or undoing, as a message. */
  error = $state<{ key: 'versions.loadFailed' | 'versions.undoFailed' | 'versions.denied'; reason: string } | null>(null);
  /** Records of the source that could not be read (a manifest cut short): named, the other runs listed all the same. */
  unreadable = $state.raw<readonly UnreadableRun[]>([]);
  restored = $state.raw<{ path: string; time: number; result: RestoreResult } | null>(null);
  restoreFailed = $state.raw<{ path: string; reason: string } | null>(null);
  undone = $state.raw<SourceUndo[]>([]);
  /** Whether a restore or an undo changed a source since the page's inventory. */
  changed = $state(false);
  readonly shown = $derived(searchRows(this.rows, this.query));

  readonly #sources: () => readonly VersionSource[];
  readonly #hasher: () => Hasher;
  readonly #clock: Clock;
  readonly #undone: (paths: string[]) => Promise<void>;
  #loadId = 0;

  /** `undone`: told the paths an undo put back or removed, so the session forgets their two-way base (forgetBase). */
  constructor(sources: () => readonly VersionSource[], hasher: () => Hasher, clock: Clock, undone: (paths: string[]) => Promise<void> = async () => {}) {
    this.#sources = sources;
    this.#hasher = hasher;
    this.#clock = clock;
    this.#undone = undone;
  }

  get sink(): DirSink | null {
    return this.#sources().find((s) => s.code === this.source)?.sink ?? null;
  }

  /** Reads the catalogue of `code` (the one shown by default); a newer call wins over one still reading. */
  async load(code = this.source): Promise<void> {
    this.source = code;
    const sink = this.sink;
    const id = ++this.#loadId;
    this.loading = true;
    this.error = null;
    try {
      const unreadable: UnreadableRun[] = [];
      const runs = sink ? await listRuns(sink, unreadable) : [];
      if (id !== this.#loadId) return;
      this.unreadable = unreadable;
      this.runs = runs;
      this.rows = rowsOf(runs);
    } catch (error) {
      if (id === this.#loadId) this.error = { key: 'versions.loadFailed', reason: toFsError(error, '').message };
    } finally {
      if (id === this.#loadId) this.loading = false;
    }
  }

  /** Restores a row's path to its version (the current item is kept first). Called from a click: write is asked first. */
  async restore(row: VersionRow): Promise<void> {
    this.restored = null;
    this.restoreFailed = null;
    this.undone = [];
    const sink = this.sink;
    if (!sink) return;
    try {
      await this.#allowWrite(sink);
      const result = await restoreVersion({ sink, hasher: this.#hasher(), clock: this.#clock, path: row.path, run: row.run });
      this.restored = { path: row.path, time: row.time, result };
      this.changed = true;
    } catch (error) {
      this.restoreFailed = { path: row.path, reason: restoreFailure(error, row.path, sink.name) };
    }
    await this.load();
  }

  /** The last run of the source shown, and every source whose last run is that same run (a run of the whole session). */
  async undoTarget(): Promise<{ run: string; time: number; sources: VersionSource[] } | null> {
    const sink = this.sink;
    const last = sink ? await lastRun(sink) : null;
    if (!last) return null;
    const sources: VersionSource[] = [];
    for (const s of this.#sources()) {
      if (s.code === this.source || (await lastRun(s.sink).catch(() => null))?.run === last.run) sources.push(s);
    }
    return { run: last.run, time: last.startedAt, sources };
  }

  /** Undoes that run on each of those sources, item by item (core/versions/undo.ts). Called from a click. */
  async undo(target: { run: string; sources: readonly VersionSource[] }): Promise<void> {
    this.restored = null;
    this.restoreFailed = null;
    this.undone = [];
    const out: SourceUndo[] = [];
    let failure: VersionsState['error'] = null;
    try {
      for (const s of target.sources) await this.#allowWrite(s.sink, s.code);
      for (const s of target.sources) {
        out.push({ source: s.code, result: await undoLastRun({ sink: s.sink, hasher: this.#hasher(), clock: this.#clock, run: target.run }) });
      }
    } catch (error) {
      failure = { key: error instanceof FsError && error.code === 'permission-denied' ? 'versions.denied' : 'versions.undoFailed', reason: toFsError(error, '').message };
    }
    this.undone = out;
    if (out.some((u) => u.result.undoRun !== null)) this.changed = true;
    // The base the run recorded no longer describes what the undo put back: forget it, or the next two-way would carry
    // the pre-run content over the other side's edit (a union there keeps both instead).
    const paths = out.flatMap((u) => [...u.result.restored, ...u.result.removed]);
    if (paths.length > 0) await this.#undone(paths).catch(() => undefined);
    await this.load();
    this.error ??= failure; // after the reload, which clears the last message
  }

  async #allowWrite(sink: DirSink, code = this.source): Promise<void> {
    const state = await sink.access('readwrite', true).catch(() => 'denied' as const);
    if (state !== 'granted') throw new FsError('permission-denied', code);
  }
}

/** Why a restore failed, naming the version it could not put back (still kept) so the user can find it by hand. */
function restoreFailure(error: unknown, path: string, folder: string): string {
  const reason = toFsError(error, path).message;
  if (!(error instanceof RestoreError)) return reason;
  const named = t('versions.restoreFailed.version', { reason, version: error.version, folder });
  return error.keptAt === undefined ? named : t('versions.restoreFailed.kept', { reason: named, kept: error.keptAt });
}
