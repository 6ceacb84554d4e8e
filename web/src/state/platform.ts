/** The browser's implementations of core's ports, created once for the page. */
import { WorkerHasher } from '../../../adapters/browser/worker-hasher.ts';
import { IdbStore } from '../../../adapters/browser/idb-store.ts';
import type { Clock, Timers } from '../../../core/ports.ts';

let hasher: WorkerHasher | null = null;

/** The worker pool starts on first use, not at page load. */
export function platformHasher(): WorkerHasher {
  return (hasher ??= new WorkerHasher());
}

export const store = new IdbStore();
export const clock: Clock & Timers = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Whether this browser has the File System Access pickers (Chrome and Edge on desktop). */
export const canPickFolders = typeof window !== 'undefined' && 'showDirectoryPicker' in window;
