/** What stands at a path, measured the way manifests record it: content hashes of files, tree hashes of folders. */
import type { DirSink, DirSource, EntryKind, Hasher } from '../ports.ts';
import { FsError, toFsError } from '../errors.ts';
import { OWN_FOLDER } from '../own-folder.ts';
import { utf8 } from '../bytes.ts';
import { joinPath } from '../paths.ts';
import { blockSizeFor, fileHashOf } from '../inventory/blocks.ts';
import { copyTree, kindAt } from '../transfer/versions.ts';
import type { LeftItem } from './manifest.ts';

/** Content hash of a file with the given block size (the scheme of the inventory, so it equals the plan's hash). */
export async function fileHash(source: DirSource, path: string, hasher: Hasher, blockSize?: number): Promise<{ size: number; blockSize: number; hash: string }> {
  const file = await source.open(path);
  const size = blockSize ?? blockSizeFor(file.size);
  const blocks = file.size === 0 ? [] : await hasher.hashBlocks(file, size);
  return { size: file.size, blockSize: size, hash: await fileHashOf(blocks, hasher) };
}

/** A hash of a whole tree: names, kinds and file contents, in code-unit order of names. */
export async function treeHash(source: DirSource, path: string, hasher: Hasher): Promise<string> {
  const parts: string[] = [];
  const entries = (await source.list(path)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = joinPath(path, entry.name);
    // A link or special file (Node lists them as files): its kind and name, never its content (it is not read).
    const hash = entry.kind === 'file' ? await fileHash(source, child, hasher).then((f) => f.hash, notData(child)) : await treeHash(source, child, hasher);
    parts.push(typeof hash === 'string' ? `${entry.kind}\0${entry.name}\0${hash}` : `${hash.notData}\0${entry.name}`);
  }
  return hasher.digest(utf8(parts.join('\n')));
}

/** What stands at `path` now, measured as `left` was (same block size), or null when nothing does. */
export async function measure(source: DirSource, path: string, hasher: Hasher, like?: LeftItem): Promise<LeftItem> {
  const kind = await kindAt(source, path);
  if (kind === null) return null;
  if (kind === 'file') return { kind, ...(await fileHash(source, path, hasher, like?.kind === 'file' ? like.blockSize : undefined)) };
  return { kind, tree: await treeHash(source, path, hasher) };
}

/**
 * Whether what stands at a path is exactly what a run left there. A folder the run only created (no tree hash) counts
 * as unchanged while it is empty: what the run put in it has its own entries, undone before it.
 */
export async function isAsLeft(source: DirSource, path: string, left: LeftItem, hasher: Hasher): Promise<boolean> {
  const now = await kindAt(source, path);
  if (left === null || now !== left.kind) return left === null && now === null;
  if (left.kind === 'directory') {
    if (left.tree === undefined) return (await source.list(path)).length === 0;
    return (await treeHash(source, path, hasher)) === left.tree;
  }
  const stat = await source.stat(path);
  if (stat.size !== left.size) return false;
  return (await fileHash(source, path, hasher, left.blockSize)).hash === left.hash;
}

/** Bytes and newest mtime of a file or a whole tree (a kept folder's size is what it holds). */
export async function sizeOf(source: DirSource, path: string, kind: EntryKind): Promise<{ size: number; mtime: number }> {
  if (kind === 'file') return source.stat(path);
  let size = 0;
  let mtime = 0;
  for (const entry of await source.list(path)) {
    const s = await sizeOf(source, joinPath(path, entry.name), entry.kind).catch(notData(joinPath(path, entry.name)));
    if ('notData' in s) continue; // a link holds no bytes of its own
    size += s.size;
    mtime = Math.max(mtime, s.mtime);
  }
  return { size, mtime };
}

/**
 * 'link' or 'special' when what a folder lists as a file at `path` is a symbolic link or a FIFO, socket or device (only
 * Node sees them: never followed nor read); null for a file. A folder a restore or an undo moved aside whole keeps them.
 */
export async function notDataAt(source: DirSource, path: string): Promise<'link' | 'special' | null> {
  try {
    await kindAt(source, path);
    return null;
  } catch (error) {
    const code = toFsError(error, path).code;
    if (code === 'link' || code === 'special') return code;
    throw error;
  }
}

/** A rejection handler: a link or a special file at `path` says so, any other failure is thrown on. */
const notData = (path: string) => (error: unknown): { notData: 'link' | 'special' } => {
  const code = toFsError(error, path).code;
  if (code === 'link' || code === 'special') return { notData: code };
  throw error;
};

/** Puts a kept item at `to` (which must be free): moved out of versions (undo) or copied, so the version stays (restore). */
export async function putBack(sink: DirSink, from: string, to: string, kind: EntryKind, mode: 'move' | 'copy'): Promise<void> {
  if (mode === 'move' && sink.move) return sink.move(from, to);
  await copyTree(sink, from, to, kind);
  if (mode === 'move') await sink.remove(from, { recursive: true });
}

/** Where copyBack writes each file before moving it into place (the writers' staging folder, cleaned of leftovers). */
const STAGING = `${OWN_FOLDER}/tmp`;

/** What copyBack put at a path: removed again, and only that, if the restore fails. */
export interface Placed {
  path: string;
  kind: EntryKind;
  /** Copied straight into place (a sink without move): a failure removes it whole, partial copy and all. */
  whole?: boolean;
  /** A file's size and time once in place: a failure removes it only while it still has them (else the user saved it since). */
  stat?: { size: number; mtime: number };
}

/**
 * Takes back what a failed copyBack put in place, newest first: a folder only once empty, a file only while it is as
 * placed. A file saved since (the restore of a large folder takes a while, and what it put back can be opened and
 * saved meanwhile) stays, and so does the folder holding it.
 */
export async function takeBack(sink: DirSink, placed: readonly Placed[]): Promise<void> {
  for (const p of [...placed].reverse()) {
    if (p.stat) {
      const now = await sink.stat(p.path).catch(() => null);
      if (now === null || now.size !== p.stat.size || now.mtime !== p.stat.mtime) continue;
    }
    await sink.remove(p.path, { recursive: p.whole === true }).catch(() => undefined);
  }
}

/**
 * Copies a kept item to `to`, which was found free, without replacing anything that appears there meanwhile (a copy
 * takes as long as the file is large): each file is written in `.quintet/tmp/` (`<stem>-<n><ext>`), then moved into place
 * by `sink.move`, which on Node never replaces (adapters/node/no-replace.ts); something standing there fails the copy
 * as 'changed' and stays. A sink without `move` is copied straight into place. `placed` gets what it put there,
 * `skipped` the links and special files of a kept folder left in it (kept paths).
 */
export async function copyBack(sink: DirSink, from: string, to: string, kind: EntryKind, stem: string, placed: Placed[], skipped: string[] = []): Promise<void> {
  if (!sink.move) {
    placed.push({ path: to, kind, whole: true });
    return copyTree(sink, from, to, kind);
  }
  if (kind === 'directory') {
    if ((await kindAt(sink, to)) !== null) throw new FsError('changed', to, 'something stands there since the restore looked: left as it is');
    await sink.mkdir(to);
    placed.push({ path: to, kind });
    for (const entry of await sink.list(from)) {
      const child = joinPath(from, entry.name);
      // A link or special file in a kept folder is not data a restore copies: it stays in the version, and is named.
      if (entry.kind === 'file' && (await notDataAt(sink, child))) skipped.push(child);
      else await copyBack(sink, child, joinPath(to, entry.name), entry.kind, stem, placed, skipped);
    }
    return;
  }
  const staged = `${STAGING}/${stem}-${placed.length}${extensionOf(to)}`;
  await sink.mkdir(STAGING);
  try {
    await copyTree(sink, from, staged, 'file');
    // Looked at again after the copy: the browser's move() replaces a file, so there a save landing at the path during
    // the copy (as long as the file is large) would be replaced; the window left is this look and the move.
    if ((await kindAt(sink, to)) !== null) throw new FsError('exists', to);
    await sink.move(staged, to);
  } catch (error) {
    await sink.remove(staged, { recursive: false }).catch(() => undefined);
    const e = toFsError(error, to);
    throw e.code === 'exists' ? new FsError('changed', to, 'something stands there since the restore looked: left as it is', { cause: error }) : e;
  }
  // Its time and size as placed; if it cannot be looked at now, a failure leaves it (never a save taken back).
  const stat = await sink.stat(to).then((s) => ({ size: s.size, mtime: s.mtime }), () => ({ size: -1, mtime: -1 }));
  placed.push({ path: to, kind, stat });
}

/**
 * The final name's extension (up to 16 characters), kept on the staged name: Chrome checks some file types when a
 * file is closed and again when a move changes its extension (adapters/browser/staged-name.ts), each check up to 5 s.
 */
function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const at = name.lastIndexOf('.');
  return at <= 0 || name.length - at > 16 ? '' : name.slice(at);
}
