/** Messages between adapters/browser/opfs-writer.ts and workers/opfs-write-worker.ts. */

interface Base {
  /** Matches a request with its reply. */
  seq: number;
}
/**
 * A range of a source file to copy in. `source`, the OPFS file `blob` is a snapshot of, comes with a file's first range
 * only (a cloned handle costs a call to the browser): the worker then reads it through a read-only sync handle.
 */
interface CopyRange {
  blob: Blob;
  start: number;
  end: number;
  blockSize: number;
  source?: FileSystemFileHandle;
}
interface FileRef {
  root: number;
  /** The writer's number, unique in the page. */
  id: number;
  /** The staging folder's path in the root (`.quintet/tmp`) and the staged file's name there. */
  staging: string;
  staged: string;
}

export type OpfsRequest = Base &
  (
    | { op: 'root'; root: number; handle: FileSystemDirectoryHandle }
    | { op: 'forget'; root: number; path: string }
    | ({ op: 'write'; chunks: Uint8Array[] } & FileRef)
    | ({ op: 'copy' } & CopyRange & FileRef)
    | ({ op: 'flush'; chunks: Uint8Array[]; size: number } & FileRef)
    | ({ op: 'commit'; chunks: Uint8Array[]; size: number; dir: string; name: string } & FileRef)
    | ({ op: 'abort' } & FileRef)
  );

export type OpfsReply = Base & ({ ok: true; value: unknown } | { ok: false; error: { name: string; message: string } });
