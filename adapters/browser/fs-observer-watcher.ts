/**
 * The browser's SourceWatcher: FileSystemObserver where Chrome has it (it observes picked folders and OPFS alike), else
 * core's periodic rescan. An observer that errs, or that cannot observe a handle, gives way to the rescan.
 * And its SourceObserver (manual inventories, core/inventory/watched-walks.ts): FileSystemObserver alone, no rescan.
 */
import type { DirSource, ObserveHandlers, SourceObserver, SourceWatcher, Timers, WatchEvent } from '../../core/ports.ts';
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

/** What one record says, as the engine's events: a move names both its ends. */
function eventsOf(r: ChangeRecord): WatchEvent[] {
  if (r.type === 'unknown') return [{ kind: 'unknown' }];
  const events: WatchEvent[] = [{ kind: 'changed', path: r.relativePathComponents.join('/') }];
  if (r.relativePathMovedFrom) events.push({ kind: 'changed', path: r.relativePathMovedFrom.join('/') });
  return events;
}

const observerClass = (): ObserverClass | undefined => (globalThis as { FileSystemObserver?: ObserverClass }).FileSystemObserver;

/**
 * How long an inventory waits for records of changes made just before it (they come as separate messages from
 * Chrome's browser process, after the change itself has completed): a margin, not a guarantee (docs/protocol.md §3.1).
 */
export const OBSERVER_SETTLE_MS = 100;

/** FileSystemObserver on a picked folder or an OPFS one; null where there is none (a file source, an older browser). */
export function browserObserver(): SourceObserver {
  return {
    settle: () => new Promise((done) => setTimeout(done, OBSERVER_SETTLE_MS)),
    observe(source: DirSource, h: ObserveHandlers): (() => void) | null {
      const Observer = observerClass();
      if (!Observer || !(source instanceof FsaDirSink) || source.handle.kind !== 'directory') return null;
      let stopped = false;
      const lost = () => {
        if (stopped) return;
        stopped = true;
        observer.disconnect();
        h.onLost();
      };
      const observer = new Observer((records) => {
        if (stopped) return;
        for (const r of records) {
          if (r.type === 'errored') return lost(); // the observer stopped (e.g. the folder went away)
          for (const e of eventsOf(r)) h.onEvent(e);
        }
      });
      // Changes are reported from the moment observe() resolves, not before: only then is the observation live.
      observer.observe(source.handle, { recursive: true }).then(() => !stopped && h.onLive(), lost);
      return () => {
        stopped = true;
        observer.disconnect();
      };
    },
  };
}

export function browserWatcher(timers: Timers, pollMs = POLL_MS): SourceWatcher {
  const poll = pollWatcher(timers, pollMs);
  return {
    watch(source: DirSource, onEvent: (event: WatchEvent) => void): () => void {
      const Observer = observerClass();
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
          for (const e of eventsOf(r)) onEvent(e);
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
