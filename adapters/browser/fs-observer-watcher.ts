/**
 * The browser's SourceWatcher: FileSystemObserver where Chrome has it (it observes picked folders and OPFS alike), else
 * core's periodic rescan. An observer that errs, or that cannot observe a handle, gives way to the rescan.
 */
import type { DirSource, SourceWatcher, Timers, WatchEvent } from '../../core/ports.ts';
import { pollWatcher, POLL_MS } from '../../core/continuous/poll-watcher.ts';
import { FsaDirSink } from './fsa-dir-sink.ts';

/** FileSystemObserver's record, as far as Quintet reads it (https://github.com/whatwg/fs/pull/165). */
interface ChangeRecord {
  type: 'appeared' | 'disappeared' | 'modified' | 'moved' | 'unknown' | 'errored';
  relativePathComponents: string[];
  relativePathMovedFrom?: string[] | null;
}
interface Observer {
  observe(handle: FileSystemHandle, options: { recursive: boolean }): Promise<void>;
  disconnect(): void;
}
type ObserverClass = new (callback: (records: ChangeRecord[]) => void) => Observer;

/** Whether this browser has FileSystemObserver (desktop Chrome 133+; OPFS from 129). */
export function hasFileSystemObserver(): boolean {
  return 'FileSystemObserver' in globalThis;
}

export function browserWatcher(timers: Timers, pollMs = POLL_MS): SourceWatcher {
  const poll = pollWatcher(timers, pollMs);
  return {
    watch(source: DirSource, onEvent: (event: WatchEvent) => void): () => void {
      const Observer = (globalThis as { FileSystemObserver?: ObserverClass }).FileSystemObserver;
      if (!Observer || !(source instanceof FsaDirSink) || source.handle.kind !== 'directory') return poll.watch(source, onEvent);
      let stopped = false;
      let stop = () => {};
      const fallBack = () => {
        observer.disconnect();
        if (!stopped) stop = poll.watch(source, onEvent);
        onEvent({ kind: 'unknown' });
      };
      const observer = new Observer((records) => {
        for (const r of records) {
          if (r.type === 'errored') return fallBack(); // the observer stopped (e.g. the folder went away): rescan from now on
          if (r.type === 'unknown') onEvent({ kind: 'unknown' });
          else {
            onEvent({ kind: 'changed', path: r.relativePathComponents.join('/') });
            if (r.relativePathMovedFrom) onEvent({ kind: 'changed', path: r.relativePathMovedFrom.join('/') });
          }
        }
      });
      stop = () => observer.disconnect();
      observer.observe(source.handle, { recursive: true }).catch(() => fallBack());
      return () => {
        stopped = true;
        stop();
      };
    },
  };
}
