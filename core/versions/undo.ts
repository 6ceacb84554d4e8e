/** Undo a run: item by item, only where the item is still exactly what the run left; the rest is listed and left alone. */
import type { Clock, DirSink, Hasher } from '../ports.ts';
import { FsError, toFsError } from '../errors.ts';
import { parentPath } from '../paths.ts';
import { freeRunId, runIdAt } from '../transfer/run-id.ts';
import { KeptPartly, keepVersion, kindAt } from '../transfer/versions.ts';
import { newestFirst } from './catalogue.ts';
import { manifestRuns, readManifest, writeManifest, type ManifestEntry, type RunManifest } from './manifest.ts';
import { isAsLeft, measure, putBack } from './items.ts';

/** Why an item was left alone; the UI and the CLI translate the code. */
export type LeftAloneReason =
  | 'changed' // something else stands there now than what the run left
  | 'gone' // what the run left there was removed since
  | 'not-empty' // a folder the run created now holds something it did not put there
  | 'occupied' // something stands where the run deleted an item
  | 'no-folder' // the folder an item goes back into is gone or is a file now
  | 'version-gone' // the kept version was removed (retention, by hand)
  | 'failed'; // the file system refused (detail says how)

export interface UndoResult {
  /** The run undone, or null when this source has no run to undo. */
  run: string | null;
  /** The undo's own run id (its versions and manifest), or null when it changed nothing. */
  undoRun: string | null;
  /** Paths put back as they were before the run. */
  restored: string[];
  /** Paths the run created, now moved to the undo's versions. */
  removed: string[];
  leftAlone: Array<{ path: string; reason: LeftAloneReason; detail?: string }>;
}

export interface UndoOptions {
  sink: DirSink;
  hasher: Hasher;
  clock: Clock;
  /** The run to undo; the last one by default. */
  run?: string;
}

/** The newest run of this source that has a manifest (sync, restore or undo), or null. */
export async function lastRun(sink: DirSink): Promise<RunManifest | null> {
  const manifests: RunManifest[] = [];
  for (const run of await manifestRuns(sink)) {
    const m = await readManifest(sink, run);
    if (m) manifests.push(m);
  }
  return manifests.map((m) => ({ run: m.run, time: m.startedAt, m })).sort(newestFirst)[0]?.m ?? null;
}

/**
 * Undoes a run on one source, as a run of its own (with its own versions and manifest, so an undo can be undone).
 * Entries are walked backwards: what the run created or replaced is moved to the undo's versions, then what it
 * replaced or deleted is moved back — each only where the item is still what the run left (hash checked) and its
 * version is still kept. Nothing is ever deleted outright.
 */
export async function undoLastRun(o: UndoOptions): Promise<UndoResult> {
  const { sink, hasher } = o;
  const manifest = o.run !== undefined ? await readManifest(sink, o.run) : await lastRun(sink);
  const result: UndoResult = { run: manifest?.run ?? null, undoRun: null, restored: [], removed: [], leftAlone: [] };
  if (!manifest) return result;
  const startedAt = o.clock.now();
  const run = await freeRunId([sink], runIdAt(startedAt));
  const entries: ManifestEntry[] = [];
  for (const entry of [...manifest.entries].reverse()) {
    try {
      const outcome = await undoEntry(sink, hasher, run, entry);
      if (typeof outcome === 'string') result.leftAlone.push({ path: entry.path, reason: outcome });
      else {
        entries.push(outcome);
        (outcome.type === 'deleted' ? result.removed : result.restored).push(entry.path);
      }
    } catch (error) {
      // What the run left was moved aside and could not go back: recorded, so versions and restore find it.
      if (error instanceof KeptAside) entries.push(error.entry);
      else if (error instanceof KeptPartly) entries.push({ type: 'deleted', path: error.from, left: null, kept: { path: error.kept, kind: error.kind } });
      result.leftAlone.push({ path: entry.path, reason: 'failed', detail: toFsError(error, entry.path).message });
    }
  }
  if (entries.length > 0) {
    result.undoRun = await writeManifest(sink, { v: 1, run, kind: 'undo', undoes: manifest.run, startedAt, endedAt: o.clock.now(), entries });
  }
  return result;
}

/** Undoes one entry; returns the undo's own manifest entry, or why the item was left alone. */
async function undoEntry(sink: DirSink, hasher: Hasher, run: string, entry: ManifestEntry): Promise<ManifestEntry | LeftAloneReason> {
  const { path, left, kept } = entry;
  if (kept && (await kindAt(sink, kept.path)) !== kept.kind) return 'version-gone';
  if (left === null) {
    // The run deleted it: it goes back only where nothing stands now, into the folder it came from.
    if ((await kindAt(sink, path)) !== null) return 'occupied';
    if (parentPath(path) !== '' && (await kindAt(sink, parentPath(path))) !== 'directory') return 'no-folder';
    if (!kept) return 'version-gone';
    await putBack(sink, kept.path, path, kept.kind, 'move');
    return { type: 'created', path, left: await measure(sink, path, hasher) };
  }
  if (!(await isAsLeft(sink, path, left, hasher))) {
    const now = await kindAt(sink, path);
    return now === null ? 'gone' : left.kind === 'directory' && left.tree === undefined && now === 'directory' ? 'not-empty' : 'changed';
  }
  const removed = await keepVersion(sink, run, path, left.kind);
  if (!kept) return { type: 'deleted', path, left: null, kept: { path: removed.path, kind: left.kind } };
  try {
    await putBack(sink, kept.path, path, kept.kind, 'move');
  } catch (error) {
    // The run's item goes back where it was; the version stays kept. If something stands there since (a save landing
    // between the two moves), the run's item stays under the undo's versions: said, and recorded as the undo's.
    if (await removed.restore().then(() => true, () => false)) throw error;
    throw new KeptAside(toFsError(error, path), { type: 'deleted', path, left: null, kept: { path: removed.path, kind: left.kind } });
  }
  return { type: 'replaced', path, left: await measure(sink, path, hasher), kept: { path: removed.path, kind: left.kind } };
}

/** An entry whose version could not go back and whose run's item stays where the undo moved it (`entry.kept`). */
class KeptAside extends FsError {
  constructor(cause: FsError, readonly entry: ManifestEntry & { kept: NonNullable<ManifestEntry['kept']> }) {
    super(cause.code, cause.path, `${cause.message}; what the run left there is kept in ${entry.kept.path}`, { cause });
  }
}
