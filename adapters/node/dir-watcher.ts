/**
 * A recursive watch built from one non-recursive fs.watch per directory (inotify on Linux). Node 20's own recursive
 * mode on Linux watches every file and, on each deletion, walks its whole list of them: with 10,000 files every
 * write of a round cost milliseconds of a blocked event loop. Directories only here, Quintet's own folders left out.
 */
import { watch, readdirSync, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { namesOwnFolder } from '../../core/own-folder.ts';

export interface DirWatchHandlers {
  /** A relative path that changed, or null: somewhere (the platform did not say). */
  onChange(path: string | null): void;
  /** A watch failed (too many inotify watches, the root gone …): the caller falls back. */
  onError(error: unknown): void;
}

/** Watches `root` and every directory under it; throws if the root cannot be watched. Returns the stop function. */
export function watchTree(root: string, h: DirWatchHandlers): () => void {
  const watchers = new Map<string, FSWatcher>();
  let stopped = false;
  const rel = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

  const closeUnder = (path: string) => {
    for (const [dir, w] of watchers) {
      if (dir !== path && !dir.startsWith(`${path}/`)) continue;
      w.close();
      watchers.delete(dir);
    }
  };

  /** Watches `dir` and the directories under it; `report`: say each entry found (a folder that just appeared). */
  const add = (dir: string, report: boolean): void => {
    if (stopped || watchers.has(dir)) return;
    const w = watch(join(root, dir), (_event, name) => {
      if (stopped) return;
      if (name === null) return h.onChange(null);
      const path = rel(dir, String(name));
      if (namesOwnFolder(String(name))) return;
      h.onChange(path);
      // A directory may have appeared (watch it) or gone (its watchers with it).
      void stat(join(root, path)).then(
        (s) => (s.isDirectory() ? add(path, true) : closeUnder(path)),
        () => closeUnder(path),
      );
    });
    w.on('error', (e) => (dir === '' ? h.onError(e) : (closeUnder(dir), h.onChange(dir))));
    watchers.set(dir, w);
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch (e) {
      if (dir === '') throw e;
      return closeUnder(dir); // gone already: its parent's watcher says so
    }
    for (const e of entries) {
      if (namesOwnFolder(e.name)) continue;
      const path = rel(dir, e.name);
      if (report) h.onChange(path); // made before this watch began: nobody else says so
      if (e.isDirectory()) add(path, report);
    }
  };

  try {
    add('', false);
  } catch (e) {
    for (const w of watchers.values()) w.close();
    throw e;
  }
  return () => {
    stopped = true;
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}
