/** Messages between adapters/browser/opfs-writer.ts and workers/opfs-write-worker.ts. */

interface Base {
  /** Matches a request with its reply. */
  seq: number;
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
    | ({ op: 'copy'; blob: Blob; start: number; end: number; blockSize: number } & FileRef)
    | ({ op: 'flush'; chunks: Uint8Array[]; size: number } & FileRef)
    | ({ op: 'commit'; chunks: Uint8Array[]; size: number; dir: string; name: string } & FileRef)
    | ({ op: 'abort' } & FileRef)
  );

export type OpfsReply = Base & ({ ok: true; value: unknown } | { ok: false; error: { name: string; message: string } });
