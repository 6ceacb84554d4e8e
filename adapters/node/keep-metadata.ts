/**
 * What the Node member keeps that a browser cannot: each copied file gets its source's modification time (to the
 * millisecond, the engine's unit) and permission bits (rwx for user, group, others; not setuid/setgid/sticky, not the
 * owner), set on the staged file before it is moved into place (`planMetadata` before the run; staged-file.ts). After
 * the run, Mirror and Update also give every directory of the source that the target holds, and every file the
 * target already held with the same content, the source's mode and time, as `rsync -a` leaves them.
 */
import { chmodSync, closeSync, constants, fchmodSync, fstatSync, futimesSync, lstatSync, openSync, utimesSync, type Stats } from 'node:fs';
import type { Action, CopyAction, Plan } from '../../core/plan/types.ts';
import type { WrittenFile } from '../../core/transfer/types.ts';
import type { InventoryItem } from '../../core/inventory/types.ts';
import type { NodeDirSink } from './node-dir-sink.ts';
import { mtimeOf } from './node-dir-sink.ts';
import { utimeSeconds as seconds, wantReadStats } from './staged-file.ts';

export interface KeptMetadata {
  files: number;
  directories: number;
  /** Items whose time or mode could not be set (the content is in place; only the metadata is missing). */
  failures: Array<{ target: string; path: string; message: string }>;
  /** Files whose modification time changed after the run recorded them, with the time they have now, for the targets' indexes. */
  written: WrittenFile[];
}

/** Before a run: tells each target sink which source file each of its copies takes its mode and times from. */
export function planMetadata(plan: Plan, sinks: ReadonlyMap<string, NodeDirSink>): void {
  const byTarget = new Map<string, Map<string, string>>();
  for (const a of plan.actions) {
    const from = a.type === 'copy' ? sinks.get(a.from) : undefined;
    if (a.type !== 'copy' || !from || !sinks.has(a.target)) continue;
    const map = byTarget.get(a.target) ?? new Map<string, string>();
    byTarget.set(a.target, map);
    map.set(a.targetPath, from.abs(a.path));
  }
  for (const [code, sink] of sinks) sink.metadataFrom = byTarget.get(code) ?? null;
  wantReadStats([...byTarget.values()].flatMap((map) => [...map.values()]));
}

/** Opens the item itself, never what a link at its name points to; a FIFO swapped in does not block the open. */
const NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Gives `to` (absolute) the permission bits and times of `s`, an lstat of its source, and returns `to`'s mtime in ms as
 * its file system keeps it (it may round). Through a descriptor opened with O_NOFOLLOW: chmod(2) and utimes(2) by
 * path follow a link at the last name, so an item swapped for a link after the caller's look (a hostile local user,
 * a member run as root on a NAS) would hand the source's mode to a file outside the target. A link there now fails
 * (ELOOP) and is reported. A file its owner cannot read (mode 000) gives no descriptor: set by path after one more look.
 */
export function setMeta(to: string, s: Stats): number {
  let fd: number;
  try {
    fd = openSync(to, NO_FOLLOW | (s.isDirectory() ? (constants.O_DIRECTORY ?? 0) : 0));
  } catch (error) {
    if ((error as { code?: string }).code !== 'EACCES') throw error;
    const now = lstatSync(to);
    if (now.isSymbolicLink() || now.isDirectory() !== s.isDirectory()) throw new Error(`${to} changed type since it was looked at: mode and time not set`, { cause: error });
    chmodSync(to, s.mode & 0o777);
    utimesSync(to, seconds(s.atimeMs), seconds(s.mtimeMs));
    return mtimeOf(lstatSync(to));
  }
  try {
    fchmodSync(fd, s.mode & 0o777);
    futimesSync(fd, seconds(s.atimeMs), seconds(s.mtimeMs));
    return mtimeOf(fstatSync(fd));
  } finally {
    closeSync(fd);
  }
}

const lstatOrNull = (path: string) => {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
};

export interface KeepMetadataOptions {
  /** Sources by code (every source is a NodeDirSink in `quintet local`). */
  sinks: ReadonlyMap<string, NodeDirSink>;
  /** The actions the run completed (RunResult.applied). */
  applied: readonly Action[];
  written: readonly WrittenFile[];
  /** Mirror or Update: directories of `from` also take their mode and time onto `to`. */
  direction?: { from: string; to: string; items: readonly InventoryItem[]; targetItems: readonly InventoryItem[] };
}

export async function keepMetadata(options: KeepMetadataOptions): Promise<KeptMetadata> {
  const { sinks } = options;
  const out: KeptMetadata = { files: 0, directories: 0, failures: [], written: [] };
  const byTarget = new Map(options.written.map((w) => [`${w.target}\0${w.path}`, w]));
  const copies = options.applied.filter((a): a is CopyAction => a.type === 'copy');
  const copied = new Set(copies.map((a) => `${a.target}\0${a.targetPath}`));
  for (const a of copies) {
    const from = sinks.get(a.from);
    const to = sinks.get(a.target);
    if (!from || !to) continue;
    // Kept by the writer before the move (the run recorded the time it has), or why not.
    const byWriter = to.metadataKept.get(a.targetPath);
    if (byWriter === null) {
      out.files++;
      continue;
    }
    if (byWriter !== undefined) {
      out.failures.push({ target: a.target, path: a.targetPath, message: byWriter });
      continue;
    }
    try {
      to.noLinkAbove(a.targetPath);
      const mtime = setMeta(to.abs(a.targetPath), lstatSync(from.abs(a.path)));
      out.files++;
      const w = byTarget.get(`${a.target}\0${a.targetPath}`);
      if (w) out.written.push({ ...w, mtime });
    } catch (error) {
      out.failures.push({ target: a.target, path: a.targetPath, message: (error as Error).message });
    }
  }
  const d = options.direction;
  const from = d && sinks.get(d.from);
  const to = d && sinks.get(d.to);
  if (d && from && to && from.rootKind === 'directory' && to.rootKind === 'directory') {
    // Same content, other time or mode: no copy was due, but a mirror leaves the metadata equal too.
    const held = new Map(d.targetItems.map((i) => [i.path, i]));
    for (const f of d.items) {
      const t = held.get(f.path);
      if (f.kind !== 'file' || t?.kind !== 'file' || t.hash !== f.hash || copied.has(`${d.to}\0${f.path}`)) continue;
      try {
        to.noLinkAbove(f.path); // a folder replaced by a link since: chmod and utimes would follow it out of the target
        const [a, b] = [lstatSync(from.abs(f.path)), lstatSync(to.abs(f.path))];
        if (!a.isFile() || !b.isFile() || (mtimeOf(a) === mtimeOf(b) && (a.mode & 0o777) === (b.mode & 0o777))) continue;
        // Saved on the target since its inventory: not the content `t` says. The source's time on it would hide the edit
        // from the next inventory (its index would vouch for the source's hash), the target no longer a copy, unseen.
        if (b.size !== t.size || mtimeOf(b) !== t.mtime) continue;
        const mtime = setMeta(to.abs(f.path), a); // `a`: the source, looked at just above
        out.files++;
        out.written.push({ target: d.to, path: f.path, size: t.size, mtime, blockSize: t.blockSize, blocks: t.blocks, hash: t.hash });
      } catch (error) {
        out.failures.push({ target: d.to, path: f.path, message: (error as Error).message });
      }
    }
    // Deepest first: setting a child's time never touches its parent's, but keep the order obvious.
    const dirs = d.items.filter((i) => i.kind === 'directory').map((i) => i.path).sort((x, y) => y.split('/').length - x.split('/').length);
    for (const path of dirs) {
      const there = lstatOrNull(to.abs(path));
      if (!there?.isDirectory()) continue;
      try {
        to.noLinkAbove(path);
        setMeta(to.abs(path), lstatSync(from.abs(path))); // a folder's time is in no index: what it reads back is not used
        out.directories++;
      } catch (error) {
        out.failures.push({ target: d.to, path, message: (error as Error).message });
      }
    }
  }
  return out;
}
