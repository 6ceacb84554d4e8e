/** A SourceWatcher anywhere: a periodic cheap rescan (names, sizes, mtimes; no content read) that reports any difference. */
import type { DirSource, SourceWatcher, Timers, WatchEvent } from '../ports.ts';
import { namesOwnFolder } from '../own-folder.ts';

/** How often the fallback looks (a browser without FileSystemObserver, a Node fs.watch that failed). */
export const POLL_MS = 5000;

/** FNV-1a over the walk's lines: one number per scan, whatever the tree's size. */
function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** One pass: every path, kind, size and mtime under the root (Quintet's own folder left out), folded into a number. */
export async function scanSignature(source: DirSource, path = '', h = 2166136261): Promise<number> {
  const entries = (await source.list(path)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (path === '' && namesOwnFolder(e.name)) continue;
    const child = path === '' ? e.name : `${path}/${e.name}`;
    if (e.kind === 'directory') h = await scanSignature(source, child, fnv(h, `d\0${child}\n`));
    else {
      const st = await source.stat(child).catch(() => null); // vanished between list and stat: the next pass sees it
      h = fnv(h, `f\0${child}\0${st?.size ?? -1}\0${st?.mtime ?? -1}\n`);
    }
  }
  return h;
}

/**
 * Rescans every `intervalMs` (one pass at a time) and reports `unknown` when the signature moved since the last pass.
 * The first pass only sets the reference. A failed pass (access revoked) reports `unknown` once: the round says why.
 */
export function pollWatcher(timers: Timers, intervalMs = POLL_MS): SourceWatcher {
  return {
    watch(source: DirSource, onEvent: (event: WatchEvent) => void): () => void {
      let last: number | null = null;
      let failed = false;
      let stopped = false;
      let cancel = () => {};
      const pass = async () => {
        try {
          const sig = await scanSignature(source);
          if (!stopped && last !== null && sig !== last) onEvent({ kind: 'unknown' });
          last = sig;
          failed = false;
        } catch {
          if (!stopped && !failed) onEvent({ kind: 'unknown' });
          failed = true;
        }
        if (!stopped) cancel = timers.after(intervalMs, () => void pass());
      };
      void pass();
      return () => {
        stopped = true;
        cancel();
      };
    },
  };
}
