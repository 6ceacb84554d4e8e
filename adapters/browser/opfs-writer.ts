/**
 * FileWriter for folders in the origin private file system: the bytes go to a dedicated worker that writes them with
 * FileSystemSyncAccessHandle into `.quintet/tmp/` and moves the file into place on commit (workers/opfs-write-worker.ts).
 * Same staging and move as StagedWriter, at a fraction of the main thread's cost per file; folders picked on real
 * disk keep StagedWriter (sync handles exist only in OPFS).
 */
import type { FileStat, FileWriter } from '../../core/ports.ts';
import type { OpfsReply, OpfsRequest } from '../../workers/opfs-write-protocol.ts';
import { fsaError } from './fsa-errors.ts';

/** Bytes held before they leave for the worker: a small file goes in one message, its commit. */
const BUFFER = 4 * 1024 * 1024;
/**
 * Batch buffers the worker sent back, reused: a fresh 4 MiB buffer costs its page faults on every batch (the copy into
 * fresh buffers took as long as the SHA-256 of the same bytes on the main thread, 1.1 s a GiB under load).
 */
const pool: ArrayBuffer[] = [];
const POOL_MAX = 8;

type Request = OpfsRequest extends infer R ? (R extends unknown ? Omit<R, 'seq'> : never) : never;

let worker: Worker | null = null;
/** Set when the worker failed (did not load, or threw outside a request): writes then go by createWritable again. */
let broken = false;
let seq = 0;
const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();

function call(request: Request, transfer: Transferable[] = []): Promise<unknown> {
  if (broken) return Promise.reject(new Error('the OPFS writer stopped'));
  if (!worker) {
    worker = new Worker(new URL('../../workers/opfs-write-worker.ts', import.meta.url), { type: 'module', name: 'quintet-opfs-write' });
    worker.onmessage = (event: MessageEvent<OpfsReply>) => {
      const r = event.data;
      const w = waiting.get(r.seq);
      waiting.delete(r.seq);
      if (r.ok && r.value instanceof ArrayBuffer) {
        if (r.value.byteLength === BUFFER && pool.length < POOL_MAX) pool.push(r.value);
        w?.resolve(null);
      } else if (r.ok) w?.resolve(r.value);
      else w?.reject(Object.assign(new Error(r.error.message), { name: r.error.name }));
    };
    worker.onerror = (event) => {
      // Requests would wait for ever on a worker that is gone: each one fails, and later files use StagedWriter.
      broken = true;
      worker?.terminate();
      for (const w of waiting.values()) w.reject(new Error(`the OPFS writer stopped: ${event.message}`));
      waiting.clear();
    };
  }
  const n = ++seq;
  return new Promise((resolve, reject) => {
    waiting.set(n, { resolve, reject });
    worker!.postMessage({ ...request, seq: n }, transfer);
  });
}

let roots = 0;
let opfsRoot: Promise<FileSystemDirectoryHandle | null> | null = null;

/**
 * The worker's number for `handle` when it lies in the origin private file system and the worker has sync handles;
 * null otherwise (a folder on disk, or a browser without them).
 */
export async function opfsRootFor(handle: FileSystemDirectoryHandle): Promise<number | null> {
  try {
    opfsRoot ??= navigator.storage?.getDirectory?.().catch(() => null) ?? Promise.resolve(null);
    const top = await opfsRoot;
    if (!top || (await top.resolve(handle).catch(() => null)) === null) return null;
    const root = ++roots;
    const usable = await call({ op: 'root', root, handle });
    return usable === true ? root : null;
  } catch {
    return null; // no worker here (it could not start): the folder is written as one on disk
  }
}

/** Whether the worker still answers (see `broken`). */
export function opfsWriterUsable(): boolean {
  return !broken;
}

/** Tells the worker a folder of `root` was removed or moved: its cached handles at and under `path` are stale. */
export function forgetInWorker(root: number, path: string): void {
  void call({ op: 'forget', root, path }).catch(() => undefined);
}

let ids = 0;

export class OpfsWriter implements FileWriter {
  readonly #id = ++ids;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #size = 0;
  /** The last batch sent and not answered yet: one in flight while the next fills. */
  #pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly root: number,
    private readonly staging: string,
    private readonly staged: string,
    private readonly dir: string,
    private readonly name: string,
    private readonly path: string,
  ) {}

  #ref() {
    return { root: this.root, id: this.#id, staging: this.staging, staged: this.staged };
  }

  async write(chunk: Uint8Array): Promise<void> {
    // Held as given until it leaves: the caller does not change a chunk it wrote.
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    this.#size += chunk.byteLength;
    if (this.#buffered < BUFFER) return;
    const batch = this.#take();
    await this.#settle();
    this.#pending = call({ op: 'write', chunks: [batch], ...this.#ref() }, [batch.buffer]);
  }

  /**
   * The chunks held, as one new buffer the worker receives without a copy. Chunks may be views of buffers others still
   * use (a read window, a block kept by a provider), so they are copied once here rather than transferred or cloned.
   */
  #take(): Uint8Array<ArrayBuffer> {
    // Large batches reuse a pooled buffer (the worker writes the view, then sends the whole buffer back).
    const pooled = this.#buffered >= BUFFER / 4 && this.#buffered <= BUFFER;
    const batch = pooled ? new Uint8Array(pool.pop() ?? new ArrayBuffer(BUFFER), 0, this.#buffered) : new Uint8Array(this.#buffered);
    let at = 0;
    for (const chunk of this.#chunks) {
      batch.set(chunk, at);
      at += chunk.byteLength;
    }
    this.#chunks = [];
    this.#buffered = 0;
    return batch;
  }

  async commit(): Promise<FileStat> {
    await this.#settle();
    const batch = this.#take();
    try {
      return (await call({ op: 'commit', chunks: [batch], size: this.#size, dir: this.dir, name: this.name, ...this.#ref() }, [batch.buffer])) as FileStat;
    } catch (error) {
      throw fsaError(error, this.path);
    }
  }

  async abort(): Promise<void> {
    this.#chunks = [];
    this.#buffered = 0;
    await this.#pending.catch(() => undefined);
    await call({ op: 'abort', ...this.#ref() }).catch(() => undefined);
  }

  async #settle(): Promise<void> {
    try {
      await this.#pending;
    } catch (error) {
      throw fsaError(error, this.path);
    }
  }
}
