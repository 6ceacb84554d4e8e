/** Serves this member's blocks to the member that needs them (issue 6): by path and content hash, read-checked, in pieces. */
import type { DirSource, Hasher, OpenFile } from '../ports.ts';
import type { FileItem } from '../inventory/types.ts';
import { blockLength } from '../inventory/blocks.ts';
import { FsError, toFsError } from '../errors.ts';
import { blockPieces } from '../protocol/block-frame.ts';
import { MESH_PROTOCOL_VERSION } from '../protocol/mesh-messages.ts';
import type { BlocksErrorMessage, BlocksGetMessage } from '../protocol/run-messages.ts';

/** What the server needs from the mesh: a JSON reply and the binary pieces, both with backpressure. */
export interface BlockServerOptions {
  hasher: Hasher;
  sendError(peer: string, message: BlocksErrorMessage): Promise<void>;
  sendBytes(peer: string, data: Uint8Array): Promise<void>;
  /** Called with the payload bytes of every block sent. */
  onServed?(bytes: number): void;
}

interface Known extends FileItem {
  code: string;
}

/**
 * Answers `blocks-get`. A file is found at the requested path when its inventoried hash is the requested one, else
 * wherever this member's inventory holds the same content (a conflict copy reads the original), and read only if its
 * size and mtime are still those of the inventory. A file found by path alone (written during this run) is served
 * only block by block against the hashes in the request. The receiver verifies every block anyway (§6).
 */
export class BlockServer {
  readonly #o: BlockServerOptions;
  #sources: ReadonlyMap<string, DirSource> = new Map();
  #byPath = new Map<string, Known>();
  #byHash = new Map<string, Known[]>();

  constructor(options: BlockServerOptions) {
    this.#o = options;
  }

  /** This member's sources by code and the files it may serve: its own inventories (replaced at each inventory). */
  setFiles(sources: ReadonlyMap<string, DirSource>, files: readonly Known[]): void {
    this.#sources = sources;
    this.#byPath = new Map(files.map((f) => [`${f.code}\0${f.path}`, f]));
    this.#byHash = new Map();
    for (const f of files) this.#byHash.set(f.hash, [...(this.#byHash.get(f.hash) ?? []), f]);
  }

  /** Serves one request; failures answer `blocks-error` and never throw. */
  async handle(peer: string, request: BlocksGetMessage): Promise<void> {
    try {
      const { file, check } = await this.#open(request);
      let last: Promise<void> = Promise.resolve();
      for (const [k, index] of request.indices.entries()) {
        const length = blockLength(request.size, request.blockSize, index);
        if (!(length > 0)) throw new FsError('not-found', request.path, 'no such block');
        const bytes = await file.read(index * request.blockSize, length);
        if (bytes.length !== length) throw new FsError('changed', request.path, 'short read');
        if (check && (await this.#o.hasher.digest(bytes)) !== request.hashes[k]) throw new FsError('changed', request.path);
        // Not awaited one by one: several frames are sealed at once; the mesh keeps their order and waits on the buffer.
        for (const piece of blockPieces(request.req, index, bytes)) last = this.#o.sendBytes(peer, piece);
        this.#o.onServed?.(length);
      }
      await last;
    } catch (error) {
      const code = toFsError(error, request.path).code;
      await this.#o.sendError(peer, {
        type: 'blocks-error', v: MESH_PROTOCOL_VERSION, run: request.run, req: request.req,
        code: code === 'not-found' || code === 'changed' ? code : 'io',
      });
    }
  }

  async #open(request: BlocksGetMessage): Promise<{ file: OpenFile; check: boolean }> {
    const source = this.#sources.get(request.source);
    if (!source) throw new FsError('not-found', request.path, 'not my source');
    const atPath = this.#byPath.get(`${request.source}\0${request.path}`);
    const candidates = [...(atPath?.hash === request.hash ? [atPath] : []), ...(this.#byHash.get(request.hash) ?? [])];
    for (const known of candidates) {
      const file = await this.#sources.get(known.code)?.open(known.path).catch(() => null);
      if (file && file.size === known.size && file.mtime === known.mtime) return { file, check: false };
    }
    const file = await source.open(request.path);
    if (file.size !== request.size || request.hashes.length !== request.indices.length) throw new FsError('changed', request.path);
    return { file, check: true };
  }
}
