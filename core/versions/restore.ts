/** Restores a file or a folder to a kept version; what stands there now is kept first, so a restore loses nothing. */
import type { Clock, DirSink, EntryKind, Hasher } from '../ports.ts';
import { FsError, toFsError } from '../errors.ts';
import { ancestors } from '../paths.ts';
import { isPeerPath } from '../own-folder.ts';
import { freeRunId, runIdAt } from '../transfer/run-id.ts';
import { KeptPartly, keepVersion, kindAt, type Kept } from '../transfer/versions.ts';
import { listRuns, versionsAt, type KeptVersion, type UnreadableRun } from './catalogue.ts';
import { writeManifest, type ManifestEntry } from './manifest.ts';
import { copyBack, measure, takeBack, type Placed } from './items.ts';
import { stagingTag } from './staging.ts';

export interface RestoreOptions {
  sink: DirSink;
  hasher: Hasher;
  clock: Clock;
  /** The file or folder to restore, relative to the source root. */
  path: string;
  /** The run whose version to take; the newest that kept one by default. */
  run?: string;
}

export interface RestoreResult {
  /** The restore's own run id: what it replaced is kept under `.quintet/versions/<run>/`, its manifest in `.quintet/runs/`. */
  run: string;
  /** The version put back (it stays kept: a restore copies it). */
  version: KeptVersion;
  /** Where what stood at the path was kept, if anything stood there. */
  replacedKeptAt?: string;
  /** Links and special files of a kept folder, never followed nor copied: they stay in the version (kept paths). */
  notRestored?: string[];
}

/**
 * A restore that failed: says which version it could not put back (`version`, still kept there: a restore only copies
 * it), so the user can find it and copy it by hand, and where what stood at the path stays kept (`keptAt`) when even
 * that could not go back (something stands there since).
 */
export class RestoreError extends FsError {
  constructor(cause: FsError, readonly version: string, readonly keptAt?: string) {
    super(cause.code, cause.path, cause.message, { cause });
  }
}

/**
 * The version a restore would use: exactly at `path`, from `run` or the newest run; null if none is kept. A manifest
 * that does not read hides no other run's versions (nor its own files, walked as a run from before manifests); when
 * no version is found, it is the error, named, never said as none kept (it may be the very run that kept one).
 */
export async function versionToRestore(sink: DirSink, path: string, run?: string): Promise<KeptVersion | null> {
  const unreadable: UnreadableRun[] = [];
  const found = await versionsAt(sink, await listRuns(sink, unreadable), path);
  const version = found.find((v) => v.path === path && (run === undefined || v.run === run)) ?? null;
  const bad = unreadable[0];
  if (!version && bad) throw new FsError(bad.code, bad.path, bad.message);
  return version;
}

/**
 * Puts the chosen version back at `path` as a run of its own: folders missing above it are created (a file standing
 * where one is needed is kept first), whatever stands at `path` is kept under the restore's versions, then the version
 * is copied into place, and the restore's manifest records it all, so it can itself be undone.
 */
export async function restoreVersion(o: RestoreOptions): Promise<RestoreResult> {
  const { sink, path } = o;
  if (!isPeerPath(path)) throw new FsError('invalid-name', path, 'not a path inside the source');
  const version = await versionToRestore(sink, path, o.run);
  if (!version) throw new FsError('not-found', path, o.run ? `run ${o.run} kept no version of ${path}` : `no kept version of ${path}`);
  const startedAt = o.clock.now();
  const run = await freeRunId([sink], runIdAt(startedAt));
  const entries: ManifestEntry[] = [];
  let kept: Kept | null = null;
  let current: EntryKind | null;
  const placed: Placed[] = [];
  const skipped: string[] = [];
  /** Folders made above the path, each with the file it moved aside to make room (a failure puts it back). */
  const made: Array<{ dir: string; keptDir: Kept | null; entry?: ManifestEntry }> = [];
  try {
    for (const dir of ancestors(path).slice(1)) {
      const kind = await kindAt(sink, dir);
      if (kind === 'directory') continue;
      const keptDir = kind === 'file' ? await keepVersion(sink, run, dir, 'file') : null;
      const step: (typeof made)[number] = { dir, keptDir };
      made.push(step);
      await sink.mkdir(dir);
      step.entry = { type: keptDir ? 'replaced' : 'created', path: dir, left: { kind: 'directory' }, ...(keptDir ? { kept: { path: keptDir.path, kind: 'file' as const } } : {}) };
      entries.push(step.entry);
    }
    current = await kindAt(sink, path);
    if (current) kept = await keepVersion(sink, run, path, current);
    // Its staged names are its own: another process's restore of the same second took the same run id (neither had
    // written anything yet), and with the same staged name one's copy was committed over the other's, moved into place.
    await copyBack(sink, version.kept, path, version.kind, `restore-${run}-${stagingTag(`${version.kept}\0${path}`)}`, placed, skipped);
  } catch (error) {
    // Only what this restore put there goes (a folder only once empty, a file only as placed): a save meanwhile stays.
    await takeBack(sink, placed);
    // If even that fails (something stands there now), it stays under the restore's versions, and the error says where.
    const stays = kept ? await kept.restore().then(() => undefined, () => kept?.path) : undefined;
    // The folders it made above the path go again (only while empty), and a file moved aside for one comes back.
    // A file that cannot come back (something stands there since) stays kept, and the manifest says where.
    for (const step of [...made].reverse()) {
      if (step.entry && !(await sink.remove(step.dir, { recursive: false }).then(() => true, () => false))) break;
      if (step.entry) entries.splice(entries.indexOf(step.entry), 1);
      if (step.keptDir && !(await step.keptDir.restore().then(() => true, () => false))) {
        entries.push({ type: 'deleted', path: step.dir, left: null, kept: { path: step.keptDir.path, kind: 'file' } });
        break;
      }
    }
    // What stood at a path the restore moved aside partway (a folder, file by file in the browser) and could not go back.
    if (error instanceof KeptPartly) entries.push({ type: 'deleted', path: error.from, left: null, kept: { path: error.kept, kind: error.kind } });
    if (entries.length > 0) await writeManifest(sink, { v: 1, run, kind: 'restore', startedAt, endedAt: o.clock.now(), entries }).catch(() => undefined);
    throw new RestoreError(toFsError(error, path), version.kept, stays);
  }
  const left = await measure(sink, path, o.hasher);
  entries.push({ type: kept ? 'replaced' : 'created', path, left, ...(kept && current ? { kept: { path: kept.path, kind: current } } : {}) });
  const written = await writeManifest(sink, { v: 1, run, kind: 'restore', startedAt, endedAt: o.clock.now(), entries });
  return { run: written, version, ...(kept ? { replacedKeptAt: kept.path } : {}), ...(skipped.length > 0 ? { notRestored: skipped } : {}) };
}
