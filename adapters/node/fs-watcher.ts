/**
 * The Node member's SourceWatcher: fs.watch recursive (macOS, Windows), one fs.watch per directory on Linux
 * (dir-watcher.ts), else core's periodic rescan.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { DirSource, SourceWatcher, Timers, WatchEvent } from '../../core/ports.ts';
import { pollWatcher, POLL_MS } from '../../core/continuous/poll-watcher.ts';
import { watchTree } from './dir-watcher.ts';

/** `rootOf(source)`: the folder's absolute path (NodeDirSink's root), or null for a source fs.watch cannot watch. */
export function nodeWatcher(timers: Timers, rootOf: (source: DirSource) => string | null, pollMs = POLL_MS): SourceWatcher {
  const poll = pollWatcher(timers, pollMs);
  return {
    watch(source: DirSource, onEvent: (event: WatchEvent) => void): () => void {
      const root = source.rootKind === 'directory' ? rootOf(source) : null;
      if (root === null) return poll.watch(source, onEvent);
      if (process.platform === 'linux') {
        let stop = () => {};
        const fallBack = () => {
          stop();
          stop = poll.watch(source, onEvent);
          onEvent({ kind: 'unknown' });
        };
        try {
          stop = watchTree(root, { onChange: (path) => onEvent(path === null ? { kind: 'unknown' } : { kind: 'changed', path }), onError: fallBack });
        } catch {
          return poll.watch(source, onEvent);
        }
        return () => stop();
      }
      let watcher: FSWatcher;
      try {
        // A null filename: the platform did not say what changed (an overflowing inotify queue …): look at everything.
        watcher = watch(root, { recursive: true }, (_event, name) => onEvent(name === null ? { kind: 'unknown' } : { kind: 'changed', path: String(name).split('\\').join('/') }));
      } catch {
        return poll.watch(source, onEvent);
      }
      let stop = () => watcher.close();
      // An error (the folder removed, too many watches) ends fs.watch: rescan from then on.
      watcher.on('error', () => {
        watcher.close();
        stop = poll.watch(source, onEvent);
        onEvent({ kind: 'unknown' });
      });
      return () => stop();
    },
  };
}
