/** The versions catalogue of one source: its runs, newest first, and what each replaced or deleted, kept under versions. */
import type { DirSource, EntryKind } from '../ports.ts';
import { toFsError, type FsErrorCode } from '../errors.ts';
import { isWithin, joinPath } from '../paths.ts';
import { VERSIONS_DIR } from '../transfer/run-id.ts';
import { kindAt } from '../transfer/versions.ts';
import { manifestPath, manifestRuns, readManifest, type ChangeType, type ManifestEntry, type RunKind, type RunManifest } from './manifest.ts';
import { sizeOf } from './items.ts';

/** One kept version: the item that stood at `path` before run `run` replaced or deleted it. */
export interface KeptVersion {
  run: string;
  /** When the run started (ms). */
  time: number;
  path: string;
  /** Where it is kept, relative to the source root. */
  kept: string;
  kind: EntryKind;
  /** Bytes (a folder: everything in it) and modification time (a folder: its newest file's). */
  size: number;
  mtime: number;
  /** What the run did there; 'unknown' for a run from before manifests. */
  action: ChangeType | 'unknown';
  /** The source whose copy replaced it (which member's action), when the run says. */
  from?: string;
}

export interface RunInfo {
  run: string;
  time: number;
  kind: RunKind | 'unknown';
  undoes?: string;
  /** Null for a run from before manifests: it can be listed and restored from, not undone. */
  manifest: RunManifest | null;
  versions: KeptVersion[];
}

/** The start time a run id names (`yyyymmdd-hhmmss`, local time, `-n` for a second run in the same second). */
export function timeOfRunId(run: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(run);
  if (!m) return 0;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s).getTime();
}

/** Newest first: by start time, then by the `-n` suffix of runs in the same second. */
export function newestFirst(a: { run: string; time: number }, b: { run: string; time: number }): number {
  const n = (run: string) => Number(/-(\d+)$/.exec(run.slice(15))?.[1] ?? 1);
  return b.time - a.time || n(b.run) - n(a.run) || (a.run < b.run ? 1 : a.run > b.run ? -1 : 0);
}

async function listOrEmpty(source: DirSource, path: string) {
  try {
    return await source.list(path);
  } catch (error) {
    if (toFsError(error, path).code === 'not-found') return [];
    throw error;
  }
}

/** Kept items measured at once: metadata calls are slow one by one (OPFS), as the inventory's walk found. */
const IN_FLIGHT = 16;

/** Every version a run kept, from its manifest, in its order; a kept item no longer there (retention removed it) is left out. */
async function versionsOf(source: DirSource, manifest: RunManifest): Promise<KeptVersion[]> {
  const entries = manifest.entries.filter((e) => e.kept !== undefined);
  const found: Array<KeptVersion | null> = new Array(entries.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      const entry = entries[i] as ManifestEntry & { kept: NonNullable<ManifestEntry['kept']> };
      const measured = await keptSize(source, entry.kept.path, entry.kept.kind);
      if (!measured) continue;
      found[i] = {
        run: manifest.run, time: manifest.startedAt, path: entry.path, kept: entry.kept.path, kind: entry.kept.kind, size: measured.size, mtime: measured.mtime,
        action: entry.type, ...(entry.from !== undefined ? { from: entry.from } : {}),
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, entries.length) }, worker));
  return found.filter((v): v is KeptVersion => v !== null);
}

/** Size and mtime of a kept item of this kind, or null when none is there: one stat for a file (10,000 versions open in one pass). */
async function keptSize(source: DirSource, path: string, kind: EntryKind): Promise<{ size: number; mtime: number } | null> {
  if (kind === 'directory') return (await kindAt(source, path)) === 'directory' ? sizeOf(source, path, kind) : null;
  try {
    const { size, mtime } = await source.stat(path);
    return { size, mtime };
  } catch (error) {
    const code = toFsError(error, path).code;
    if (code === 'not-found' || code === 'type-mismatch') return null; // removed, or a folder stands there now
    throw error;
  }
}

/** null for a link or special file (never read), else the failure thrown on. */
const notDataIn = (error: unknown): null => {
  const code = toFsError(error, '').code;
  if (code === 'link' || code === 'special') return null;
  throw error;
};

/** A run without a manifest: every file and empty folder under its versions folder (`~n` copies under their own path). */
async function walkLegacy(source: DirSource, run: string, time: number): Promise<KeptVersion[]> {
  const out: KeptVersion[] = [];
  const root = `${VERSIONS_DIR}/${run}`;
  const visit = async (rel: string): Promise<void> => {
    const entries = await listOrEmpty(source, rel === '' ? root : joinPath(root, rel));
    if (entries.length === 0 && rel !== '') out.push({ run, time, path: rel.replace(/~\d+$/, ''), kept: joinPath(root, rel), kind: 'directory', size: 0, mtime: 0, action: 'unknown' });
    for (const entry of entries) {
      const path = joinPath(rel, entry.name);
      if (entry.kind === 'directory') await visit(path);
      else {
        const stat = await source.stat(joinPath(root, path)).catch(notDataIn);
        if (stat === null) continue; // a link or special file in a kept folder: no version of its own
        const { size, mtime } = stat;
        out.push({ run, time, path: path.replace(/~\d+$/, ''), kept: joinPath(root, path), kind: 'file', size, mtime, action: 'unknown' });
      }
    }
  };
  await visit('');
  return out;
}

/** A run whose record could not be read: its manifest (or versions folder) and why. */
export interface UnreadableRun {
  run: string;
  path: string;
  code: FsErrorCode;
  message: string;
}

/**
 * Every run of this source, newest first, with what it kept. A manifest that does not read (cut short, edited by hand)
 * throws, naming it, unless `unreadable` is given (the lists a user reads: quintet versions, the page's Versions view):
 * it is then named there and its versions folder walked as a run from before manifests, so one bad record hides
 * neither the other runs nor the files it kept. Retention, restore and undo never guess: they pass none.
 */
export async function listRuns(source: DirSource, unreadable?: UnreadableRun[]): Promise<RunInfo[]> {
  const ids = new Set([...(await manifestRuns(source)), ...(await listOrEmpty(source, VERSIONS_DIR)).filter((e) => e.kind === 'directory').map((e) => e.name)]);
  const runs: RunInfo[] = [];
  for (const run of ids) {
    let manifest: RunManifest | null;
    try {
      manifest = await readManifest(source, run);
    } catch (error) {
      if (!unreadable) throw error;
      const e = toFsError(error, manifestPath(run));
      unreadable.push({ run, path: manifestPath(run), code: e.code, message: e.message });
      manifest = null;
    }
    try {
      if (manifest) {
        runs.push({ run, time: manifest.startedAt, kind: manifest.kind, ...(manifest.undoes ? { undoes: manifest.undoes } : {}), manifest, versions: await versionsOf(source, manifest) });
      } else {
        const time = timeOfRunId(run);
        const versions = await walkLegacy(source, run, time);
        // A bad manifest whose run kept nothing here: named in `unreadable`, no empty run listed for it.
        if (versions.length > 0 || unreadable?.at(-1)?.run !== run) runs.push({ run, time, kind: 'unknown', manifest: null, versions });
      }
    } catch (error) {
      if (!unreadable) throw error;
      const e = toFsError(error, `${VERSIONS_DIR}/${run}`);
      unreadable.push({ run, path: `${VERSIONS_DIR}/${run}`, code: e.code, message: e.message });
    }
  }
  return runs.sort(newestFirst);
}

/**
 * The versions that hold `path`, newest first: kept at `path` itself or, for a folder, inside it; or inside a kept
 * folder above it (then pointing inside that folder, measured there).
 */
export async function versionsAt(source: DirSource, runs: readonly RunInfo[], path: string): Promise<KeptVersion[]> {
  const out: KeptVersion[] = [];
  for (const run of runs) {
    for (const v of run.versions) {
      if (isWithin(v.path, path)) out.push(v);
      else if (v.kind === 'directory' && isWithin(path, v.path)) {
        const kept = `${v.kept}${path.slice(v.path.length)}`;
        const kind = await kindAt(source, kept);
        if (kind !== null) out.push({ ...v, path, kept, kind, ...(await sizeOf(source, kept, kind)) });
      }
    }
  }
  return out;
}
