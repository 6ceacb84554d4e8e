/**
 * A folder's change notifications on Node, what the member's watcher (fs-watcher.ts) and its observer
 * (node-observer.ts) both stand on. On Linux, one non-recursive fs.watch per directory (inotify): Node 20's own
 * recursive mode there watches every file and, on each deletion, walks its whole list of them: with 10,000 files every
 * write of a round cost milliseconds of a blocked event loop. Directories only here, Quintet's own folders left out.
 * Elsewhere (macOS, Windows), fs.watch recursive.
 */
import { watch, readdirSync, statSync, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { namesOwnFolder } from '../../core/own-folder.ts';

export interface DirWatchHandlers {
  /** A relative path that changed, or null: somewhere (the platform did not say). */
  onChange(path: string | null): void;
  /** A watch failed (too many inotify watches, the root gone …): nothing more will be said; the caller falls back. */
  onError(error: unknown): void;
}

/**
 * Whether `root` is no longer the folder watched (`ino`): a watched folder removed or moved away is told as an event
 * named after itself (inotify's IN_DELETE_SELF / IN_MOVE_SELF), with no error from fs.watch.
 */
async function rootGone(root: string, ino: number): Promise<boolean> {
  return stat(root).then((s) => !s.isDirectory() || s.ino !== ino, () => true);
}

/** Watches `root` and every directory under it; throws if the root cannot be watched. Returns the stop function. */
export function watchTree(root: string, h: DirWatchHandlers): () => void {
  const watchers = new Map<string, FSWatcher>();
  let stopped = false;
  let building = true;
  const rel = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);
  const rootIno = statSync(root).ino;
  const fail = (e: unknown) => {
    if (stopped) return;
    stop();
    h.onError(e);
  };

  const closeUnder = (path: string) => {
    for (const [dir, w] of watchers) {
      if (dir !== path && !dir.startsWith(`${path}/`)) continue;
      w.close();
      watchers.delete(dir);
    }
  };

  const changed = (dir: string, name: string) => {
    const path = rel(dir, name);
    if (namesOwnFolder(name)) return;
    h.onChange(path);
    // A directory may have appeared (watch it) or gone (its watchers with it).
    void stat(join(root, path)).then(
      (s) => (s.isDirectory() ? add(path, true) : closeUnder(path)),
      () => closeUnder(path),
    );
  };

  /**
   * An event named after the watched folder `dir` itself: inotify's IN_DELETE_SELF / IN_MOVE_SELF (it was removed or
   * moved away), unless a child of that name is there. A folder made again at that path at once (rm -rf d && mkdir d,
   * a checkout; often the same inode) is not this watch's any more: without a new one, nothing in it would be told.
   */
  const itself = (dir: string, name: string) =>
    void stat(join(root, dir, name)).then(
      () => changed(dir, name),
      () => {
        h.onChange(rel(dir, name));
        closeUnder(dir);
        void stat(join(root, dir)).then((s) => (s.isDirectory() ? add(dir, true) : undefined), () => undefined);
      },
    );

  /** Watches `dir` and the directories under it; `report`: say each entry found (a folder that just appeared). */
  const add = (dir: string, report: boolean): void => {
    if (stopped || watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = watch(join(root, dir), (_event, name) => {
        if (stopped) return;
        if (name === null) return h.onChange(null);
        if (dir !== '' && String(name) === basename(dir)) return itself(dir, String(name));
        if (dir !== '' || String(name) !== basename(root)) return changed(dir, String(name));
        void rootGone(root, rootIno).then((gone) => (stopped ? undefined : gone ? fail(new Error(`${root} is gone`)) : changed(dir, String(name))));
      });
    } catch (e) {
      if (dir === '') throw e;
      if ((e as { code?: string }).code === 'ENOENT') return; // gone already: its parent's watcher says so
      // A watch refused (the inotify limit …): not everything is watched.
      if (building) throw e;
      return fail(e);
    }
    w.on('error', (e) => (dir === '' ? fail(e) : (closeUnder(dir), h.onChange(dir))));
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

  function stop() {
    stopped = true;
    for (const w of watchers.values()) w.close();
    watchers.clear();
  }
  try {
    add('', false);
  } catch (e) {
    stop();
    throw e;
  }
  building = false;
  return stop;
}

/**
 * Watches the folder `root` and everything under it, the platform's way: watchTree on Linux, fs.watch recursive
 * elsewhere. Throws if it cannot start; once started, a failure is told once by `onError` (the watches are closed).
 */
export function watchFolder(root: string, h: DirWatchHandlers): () => void {
  if (process.platform === 'linux') return watchTree(root, h);
  const rootIno = statSync(root).ino;
  let stopped = false;
  const fail = (e: unknown) => {
    if (stopped) return;
    stopped = true;
    watcher.close();
    h.onError(e);
  };
  // A null filename: the platform did not say what changed (an overflowing queue …): look at everything.
  const watcher = watch(root, { recursive: true }, (_event, name) => {
    if (stopped) return;
    const path = name === null ? null : String(name).split('\\').join('/');
    if (path !== '' && path !== basename(root)) return h.onChange(path);
    void rootGone(root, rootIno).then((gone) => (stopped ? undefined : gone ? fail(new Error(`${root} is gone`)) : h.onChange(path || null)));
  });
  // An error (the folder removed, too many watches) ends fs.watch.
  watcher.on('error', fail);
  return () => {
    stopped = true;
    watcher.close();
  };
}

/**
 * A watchFolder that opens one watch per folder however many ask for it (a member's continuous watcher and its
 * observer watch the same folders): inotify watches are counted against a per-user limit
 * (`fs.inotify.max_user_watches`), one per directory. Each asker gets every change and the failure; the watch closes
 * with its last asker.
 */
export function sharedWatchFolder(open: typeof watchFolder = watchFolder): typeof watchFolder {
  const shared = new Map<string, { stop: () => void; askers: Set<{ h: DirWatchHandlers }> }>();
  return (root, h) => {
    let entry = shared.get(root);
    if (!entry) {
      const askers = new Set<{ h: DirWatchHandlers }>();
      const stop = open(root, {
        onChange: (path) => {
          for (const a of [...askers]) a.h.onChange(path);
        },
        onError: (e) => {
          if (shared.get(root)?.askers === askers) shared.delete(root);
          for (const a of [...askers]) a.h.onError(e);
        },
      });
      entry = { stop, askers };
      shared.set(root, entry);
    }
    const { stop, askers } = entry;
    const asker = { h };
    askers.add(asker);
    return () => {
      if (!askers.delete(asker) || askers.size > 0) return;
      if (shared.get(root)?.askers === askers) shared.delete(root);
      stop();
    };
  };
}
