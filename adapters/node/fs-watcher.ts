/**
 * The Node member's SourceWatcher: the folder's own notifications (dir-watcher.ts watchFolder: one fs.watch per
 * directory on Linux, fs.watch recursive on macOS and Windows), else core's periodic rescan.
 */
import type { DirSource, SourceWatcher, Timers, WatchEvent } from '../../core/ports.ts';
import { pollWatcher, POLL_MS } from '../../core/continuous/poll-watcher.ts';
import { watchFolder } from './dir-watcher.ts';

/**
 * `rootOf(source)`: the folder's absolute path (NodeDirSink's root), or null for a source fs.watch cannot watch.
 * `watch`: how a folder is watched (a sharedWatchFolder, to share the watches with the member's observer).
 */
export function nodeWatcher(timers: Timers, rootOf: (source: DirSource) => string | null, pollMs = POLL_MS, watch = watchFolder): SourceWatcher {
  const poll = pollWatcher(timers, pollMs);
  return {
    watch(source: DirSource, onEvent: (event: WatchEvent) => void): () => void {
      const root = source.rootKind === 'directory' ? rootOf(source) : null;
      if (root === null) return poll.watch(source, onEvent);
      let stop = () => {};
      try {
        stop = watch(root, {
          onChange: (path) => onEvent(path === null ? { kind: 'unknown' } : { kind: 'changed', path }),
          // A watch failed (the folder removed, too many watches): rescan from then on.
          onError: () => {
            stop = poll.watch(source, onEvent);
            onEvent({ kind: 'unknown' });
          },
        });
      } catch {
        return poll.watch(source, onEvent);
      }
      return () => stop();
    },
  };
}
