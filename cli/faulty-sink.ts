/** Test helper: a DirSink that injects platform errors (errno, through the adapter's mapping) at chosen calls. */
import type { DirSink } from '../core/ports.ts';
import { nodeError } from '../adapters/node/node-errors.ts';

export interface Faults {
  /** Called before each read of an open file; may throw. */
  read?(path: string): void;
  /** Called before each chunk written; may throw. */
  write?(path: string, chunkIndex: number): void;
  /** Called before each commit; may throw or act (e.g. press "Ctrl-C"). */
  commit?(path: string): void;
}

/** An error as node:fs throws it, e.g. errno('ENOSPC', 'no space left on device, write'). */
export function errno(code: string, words: string, path: string): Error {
  return nodeError(Object.assign(new Error(`${code}: ${words}`), { code }), path);
}

export function faulty(sink: DirSink, faults: Faults): DirSink {
  const move = sink.move?.bind(sink);
  const flush = sink.flush?.bind(sink);
  const link = sink.link?.bind(sink);
  return {
    rootKind: sink.rootKind,
    name: sink.name,
    list: (p) => sink.list(p),
    stat: (p) => sink.stat(p),
    access: (m, r) => sink.access(m, r),
    mkdir: (p) => sink.mkdir(p),
    remove: (p, o) => sink.remove(p, o),
    ...(move ? { move } : {}),
    ...(flush ? { flush } : {}),
    ...(link ? { link } : {}),
    open: async (p) => {
      const f = await sink.open(p);
      if (!faults.read) return f;
      // A plain OpenFile (no path for the hash workers): every read passes through the fault.
      return { size: f.size, mtime: f.mtime, read: async (o, l) => (faults.read?.(p), f.read(o, l)) };
    },
    createWriter: async (p) => {
      const w = await sink.createWriter(p);
      let chunks = 0;
      return {
        write: async (c) => {
          faults.write?.(p, chunks++);
          return w.write(c);
        },
        commit: async () => {
          faults.commit?.(p);
          return w.commit();
        },
        abort: () => w.abort(),
      };
    },
  };
}
