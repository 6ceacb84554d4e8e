/** A run's manifest (`.quintet/runs/<run>.json`): what the run did on one target, so it can be listed and undone. */
import type { DirSink, DirSource, EntryKind } from '../ports.ts';
import { FsError, toFsError } from '../errors.ts';
import { OWN_FOLDER, isPeerPath } from '../own-folder.ts';
import { isValidName, joinPath } from '../paths.ts';
import { fromUtf8, utf8 } from '../bytes.ts';
import { RUNS_DIR, freeRunId } from '../transfer/run-id.ts';
import { kindAt } from '../transfer/versions.ts';
import { STAGING_DIR, stagingTag } from './staging.ts';

export { RUNS_DIR };

/** Largest manifest read back (a run of 2,000,000 items stays well under it). */
export const MAX_MANIFEST_BYTES = 512 * 1024 * 1024;

/** What an action did to a path: made it, replaced what stood there, removed it, or wrote a conflict copy. */
export type ChangeType = 'created' | 'replaced' | 'deleted' | 'conflict';

/** What a run left at a path: a file with its content hash, a directory (with a tree hash when it put back a whole tree), or nothing. */
export type LeftItem =
  | { kind: 'file'; size: number; blockSize: number; hash: string }
  | { kind: 'directory'; tree?: string }
  | null;

export interface ManifestEntry {
  type: ChangeType;
  path: string;
  left: LeftItem;
  /** What stood there before and where it is kept (replaced, deleted). */
  kept?: { path: string; kind: EntryKind };
  /** The source the content came from (a copy): which member's action it was. */
  from?: string;
}

/** Why the run ran: a synchronization, a restore, or the undo of another run. */
export type RunKind = 'sync' | 'restore' | 'undo';

export interface RunManifest {
  v: 1;
  run: string;
  kind: RunKind;
  /** The run this one undid (kind 'undo'). */
  undoes?: string;
  startedAt: number;
  endedAt: number;
  /** In the order the run applied them; undo walks them backwards. */
  entries: ManifestEntry[];
}

export const manifestPath = (run: string): string => `${RUNS_DIR}/${run}.json`;

/**
 * Writes the manifest whole or not at all, never over another run's: two runs of one folder started in the same second
 * by two processes (a restore during a joined member's round) both found the id free at their start, and the later
 * manifest would hide the earlier run's versions from the catalogue and from undo. The later one then takes the next
 * free id (its versions stay where they are: entries name them). Returns the id written.
 * Where the sink can link (Node), the manifest is written under `.quintet/tmp/` and given its name by `link`, which
 * never replaces: another manifest landing between the look and the commit is not written over, as a commit's rename
 * would. Elsewhere (a browser, a file system refusing links) the look just before the commit is all there is.
 */
export async function writeManifest(sink: DirSink, manifest: RunManifest): Promise<string> {
  if (!isValidName(`${manifest.run}.json`)) throw new FsError('invalid-name', manifest.run);
  await sink.mkdir(RUNS_DIR);
  let m = manifest;
  for (let attempt = 0; ; attempt++) {
    if ((await kindAt(sink, manifestPath(m.run))) !== null) m = { ...m, run: await freeRunId([sink], manifest.run.slice(0, 15)) };
    if (!sink.link) return writeWhole(sink, manifestPath(m.run), JSON.stringify(m)).then(() => m.run);
    const json = JSON.stringify(m);
    const staged = `${STAGING_DIR}/manifest-${m.run}-${stagingTag(json)}.json`;
    await sink.mkdir(STAGING_DIR);
    await writeWhole(sink, staged, json);
    const named = await sink.link(staged, manifestPath(m.run)).then(() => null, (error: unknown) => toFsError(error, manifestPath(m.run)));
    await sink.remove(staged, { recursive: false }).catch(() => undefined);
    if (named === null) return m.run;
    // Taken since the look: the next free id. Links refused here: written by the commit, after the look, as elsewhere.
    if (named.code !== 'exists') return writeWhole(sink, manifestPath(m.run), json).then(() => m.run);
    if (attempt >= 8) throw named;
  }
}

/** Writes a manifest through the sink's staged writer: it appears whole or not at all. */
async function writeWhole(sink: DirSink, path: string, json: string): Promise<void> {
  const writer = await sink.createWriter(path);
  try {
    await writer.write(utf8(json));
    await writer.commit();
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}

/** The run ids that have a manifest on this source (any order). */
export async function manifestRuns(source: DirSource): Promise<string[]> {
  try {
    return (await source.list(RUNS_DIR)).filter((e) => e.kind === 'file' && e.name.endsWith('.json')).map((e) => e.name.slice(0, -5));
  } catch (error) {
    if (toFsError(error, RUNS_DIR).code === 'not-found') return [];
    throw error;
  }
}

/** Reads and checks a run's manifest; null when there is none. A manifest that does not parse is an error, never guessed at. */
export async function readManifest(source: DirSource, run: string): Promise<RunManifest | null> {
  const path = manifestPath(run);
  let file;
  try {
    file = await source.open(path);
  } catch (error) {
    if (toFsError(error, path).code === 'not-found') return null;
    throw error;
  }
  if (file.size > MAX_MANIFEST_BYTES) throw new FsError('corrupt', path, `${path}: manifest too large`);
  const bytes = await file.read(0, file.size);
  const text = fromUtf8(bytes);
  let value: unknown;
  try {
    if (text === null) throw new Error('not UTF-8');
    value = JSON.parse(text);
  } catch {
    throw new FsError('corrupt', path, `${path}: manifest is not JSON`);
  }
  if (!isManifest(value, run)) throw new FsError('corrupt', path, `${path}: not a run manifest`);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isKind = (v: unknown): v is EntryKind => v === 'file' || v === 'directory';

/** Whether a kept path lies in the versions folder (a manifest, even a hand-edited one, never points undo elsewhere). */
function isKeptPath(path: unknown): boolean {
  const prefix = `${OWN_FOLDER}/versions/`;
  if (typeof path !== 'string' || !path.startsWith(prefix)) return false;
  const [run = '', ...rest] = path.slice(prefix.length).split('/');
  return isValidName(run) && isPeerPath(rest.join('/').replace(/~[0-9]+$/, ''));
}

function isLeft(v: unknown): v is LeftItem {
  if (v === null) return true;
  if (!isObject(v)) return false;
  if (v.kind === 'file') return isCount(v.size) && isCount(v.blockSize) && typeof v.hash === 'string';
  return v.kind === 'directory' && (v.tree === undefined || typeof v.tree === 'string');
}

function isEntry(v: unknown): v is ManifestEntry {
  if (!isObject(v)) return false;
  if (!['created', 'replaced', 'deleted', 'conflict'].includes(v.type as string)) return false;
  if (typeof v.path !== 'string' || !isPeerPath(v.path) || !isLeft(v.left)) return false;
  if (v.kept !== undefined && !(isObject(v.kept) && isKeptPath(v.kept.path) && isKind(v.kept.kind))) return false;
  return v.from === undefined || typeof v.from === 'string';
}

function isManifest(v: unknown, run: string): v is RunManifest {
  return isObject(v) && v.v === 1 && v.run === run && ['sync', 'restore', 'undo'].includes(v.kind as string)
    && (v.undoes === undefined || typeof v.undoes === 'string') && isCount(v.startedAt) && isCount(v.endedAt)
    && Array.isArray(v.entries) && v.entries.every(isEntry);
}

/** The versions path a manifest entry names, for display: relative to the source root. */
export const keptAt = (run: string, path: string): string => joinPath(`${OWN_FOLDER}/versions/${run}`, path);
