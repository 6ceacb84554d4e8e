/**
 * The Node member's SourceObserver (docs/protocol.md §3.1): a folder's own change notifications (dir-watcher.ts
 * watchFolder, the watches its continuous watcher uses too) with no rescan behind them, so that an inventory started by
 * the leader may look again only at what changed since the last one. A watch that fails (the folder removed or moved,
 * the inotify limit) ends the observation: the next inventory walks whole, and observing starts again.
 */
import type { DirSource, ObserveHandlers, SourceObserver } from '../../core/ports.ts';
import { watchFolder } from './dir-watcher.ts';

/**
 * How long an inventory waits for notifications of changes made just before it, beyond the event loop turns below.
 * Linux: none. inotify queues an event in the kernel before the writing call returns, and libuv reads the queue in its
 * next poll phase, so one full turn of the event loop delivers everything changed before `settle()` was called
 * (measured: 2,000 files written in 40 nested folders just before, none reported without a turn, all after one; two
 * turns, as settle() may be called from within a poll phase whose inotify read is already over).
 * macOS: libuv's FSEvents stream reports with a latency of 50 ms and starts on its own thread after fs.watch returns
 * (and starts again whenever another folder is watched: a change in that gap is missed until the hourly whole walk);
 * Windows: ReadDirectoryChangesW completions come through the same poll, with no stated bound. A margin there, as the
 * browser's OBSERVER_SETTLE_MS: not a guarantee (a change told later is looked at by the next inventory).
 */
export const NODE_SETTLE_MS = process.platform === 'linux' ? 0 : 100;

/** One setImmediate: after the poll phase of the loop's current turn. Two of them: a whole poll phase in between. */
const turn = () => new Promise<void>((done) => setImmediate(done));

/**
 * `rootOf(source)`: the folder's absolute path (NodeDirSink's root), or null for a source Node cannot observe.
 * `watch`: how a folder is watched (a sharedWatchFolder, to share the watches with the member's continuous watcher).
 */
export function nodeObserver(rootOf: (source: DirSource) => string | null, watch = watchFolder): SourceObserver {
  return {
    async settle() {
      if (NODE_SETTLE_MS > 0) await new Promise((done) => setTimeout(done, NODE_SETTLE_MS));
      await turn();
      await turn();
    },
    observe(source: DirSource, h: ObserveHandlers): (() => void) | null {
      const root = source.rootKind === 'directory' ? rootOf(source) : null;
      if (root === null) return null;
      let stopped = false;
      let close: () => void;
      try {
        // onError comes later, never from within watch() (which throws instead): `lost` is defined by then.
        close = watch(root, { onChange: (path) => !stopped && h.onEvent(path === null ? { kind: 'unknown' } : { kind: 'changed', path }), onError: () => lost() });
      } catch {
        // The folder cannot be watched now (gone, unreadable, no watch left): tried again at the next inventory.
        queueMicrotask(() => !stopped && h.onLost());
        return () => void (stopped = true);
      }
      // inotify's watches are in place once watchFolder returns; FSEvents' stream a moment later (NODE_SETTLE_MS).
      const live = setTimeout(() => !stopped && h.onLive(), NODE_SETTLE_MS);
      const stop = () => {
        stopped = true;
        close();
        clearTimeout(live);
      };
      const lost = () => {
        if (stopped) return;
        stop();
        h.onLost();
      };
      return stop;
    },
  };
}
