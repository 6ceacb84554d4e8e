/** Opening the folders (or files) given on the command line as sources: one place for local, create and join. */
import { realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { FsError } from '../core/errors.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import type { FileStore } from '../adapters/node/file-store.ts';
import { UsageError } from './exit-codes.ts';
import { msg } from './i18n.ts';

/** True when `inner` (a real path) is `outer` (a real directory path) or lies under it. */
const isUnder = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

/**
 * Opens each path as a sink with its stable id (the real path), refusing one given twice (under another spelling
 * too) and one inside another source's folder or holding it (a Mirror of `data` into `data/backup` would copy the
 * target into itself, one level deeper each run: the page refuses it too), and places a directory source's index in its own `.quintet/`. Any failure is a usage error naming the path.
 * `fsync: false` (`--no-fsync`): written files and names are not synced to disk (NodeDirSink.sync).
 */
export async function openDirs(dirs: readonly string[], store: FileStore, options: { fsync?: boolean } = {}): Promise<{ dir: string; sink: NodeDirSink; id: string }[]> {
  const out: { dir: string; sink: NodeDirSink; id: string }[] = [];
  const ids = new Set<string>();
  for (const dir of dirs) {
    let sink: NodeDirSink;
    let id: string;
    try {
      sink = await NodeDirSink.open(dir);
      id = await realpath(sink.root);
    } catch (error) {
      throw new UsageError(msg('open.cannot', { dir, reason: error instanceof FsError ? `${error.code} (${error.message})` : String(error) }));
    }
    if (ids.has(id)) throw new UsageError(msg('open.twice', { dir }));
    const nested = out.find((o) => (o.sink.rootKind === 'directory' && isUnder(id, o.id)) || (sink.rootKind === 'directory' && isUnder(o.id, id)));
    if (nested) throw new UsageError(msg('open.nested', { dir, other: nested.dir }));
    if (options.fsync === false) sink.sync = null;
    ids.add(id);
    if (sink.rootKind === 'directory') store.placeIndex(id, sink.root);
    out.push({ dir, sink, id });
  }
  return out;
}
