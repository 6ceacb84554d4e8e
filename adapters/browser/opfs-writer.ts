/**
 * FileWriter for folders in the origin private file system: the bytes go to a dedicated worker that writes them with
 * FileSystemSyncAccessHandle into `.quintet/tmp/` and moves the file into place on commit (workers/opfs-write-worker.ts).
 * Same staging and move as StagedWriter, at a fraction of the main thread's cost per file; folders picked on real
 * disk keep StagedWriter (sync handles exist only in OPFS).
 */
import type { FileStat, FileWriter, OpenFile } from '../../core/ports.ts';
import type { OpfsReply, OpfsRequest } from '../../workers/opfs-write-protocol.ts';
import { fsaError } from './fsa-errors.ts';
import { BlobFile } from './blob-file.ts';

/** Bytes held before they leave for the worker: a small file goes in one message, its flush. */
const BUFFER = 4 * 1024 * 1024;
/**
 * Batch buffers the worker sent back, reused: a fresh 4 MiB buffer costs its page faults on every batch (the copy into
 * fresh buffers took as long as the SHA-256 of the same bytes on the main thread, 1.1 s a GiB under load).
 */
const pool: ArrayBuffer[] = [];
const POOL_MAX = 8;

type Request = OpfsRequest extends infer R ? (R extends unknown ? Omit<R, 'seq'> : never) : never;

/**
 * Write workers, each file's requests going to one of them. Small files (bound by calls to the browser) take turns over
 * the first two. Files the worker reads itself (copyFrom: large ones, CPU bound: read, SHA-256, write, then a flush that
 * waits on the disk, all on the worker's thread) take turns over four, a whole file in one: two are hashed at once on
 * two cores, and a worker waiting in its flush leaves the core to another (bench/README.md "Local mirror: OPFS").
 */
const WORKERS = 4;
const SMALL_WORKERS = 2;
/** Started on first use: a Mirror of small files never starts the last two. */
const workers: Worker[] = [];
/** Roots made known so far, sent to a worker started after them before its first request. */
const knownRoots = new Map<number, FileSystemDirectoryHandle>();
/** Set when a worker failed (did not load, or threw outside a request): writes then go by createWritable again. */
let broken = false;
let seq = 0;
const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();

function onReply(event: MessageEvent<OpfsReply>): void {
  const r = event.data;
  const w = waiting.get(r.seq);
  waiting.delete(r.seq);
  if (r.ok && r.value instanceof ArrayBuffer) {
    if (r.value.byteLength === BUFFER && pool.length < POOL_MAX) pool.push(r.value);
    w?.resolve(null);
  } else if (r.ok) w?.resolve(r.value);
  else w?.reject(Object.assign(new Error(r.error.message), { name: r.error.name }));
}

function workerAt(i: number): Worker {
  const known = workers[i];
  if (known) return known;
  const worker = new Worker(new URL('../../workers/opfs-write-worker.ts', import.meta.url), { type: 'module', name: `quintet-opfs-write-${i}` });
  worker.onmessage = onReply;
  worker.onerror = (event) => {
    // Requests would wait for ever on a worker that is gone: each one fails, and later files use StagedWriter.
    broken = true;
    for (const other of workers) other.terminate();
    for (const w of waiting.values()) w.reject(new Error(`the OPFS writer stopped: ${event.message}`));
    waiting.clear();
  };
  workers[i] = worker;
  // Messages arrive in order: the roots before any request that names them (seq 0: no one waits for the answer).
  for (const [root, handle] of knownRoots) worker.postMessage({ op: 'root', root, handle, seq: 0 } satisfies OpfsRequest);
  return worker;
}

/** Sends a request to worker `to` (a file's requests all go to the same one). */
function call(request: Request, transfer: Transferable[] = [], to = 0): Promise<unknown> {
  if (broken) return Promise.reject(new Error('the OPFS writer stopped'));
  const worker = workerAt(to % WORKERS);
  const n = ++seq;
  return new Promise((resolve, reject) => {
    waiting.set(n, { resolve, reject });
    worker.postMessage({ ...request, seq: n }, transfer);
  });
}

/** Sends a request to every started worker, the small files' ones at least (roots and forgotten folders concern them all). */
function callAll(request: Request): Promise<unknown[]> {
  const sent = Promise.all(Array.from({ length: Math.max(SMALL_WORKERS, workers.length) }, (_, i) => call(request, [], i)));
  if (request.op === 'root') knownRoots.set(request.root, request.handle);
  return sent;
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
    const usable = await callAll({ op: 'root', root, handle });
    return usable.every((u) => u === true) ? root : null;
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
  void callAll({ op: 'forget', root, path }).catch(() => undefined);
}

let ids = 0;
/** The worker the next file copied by copyFrom goes to: large files alternate, whatever small files did between. */
let copyTurn = 0;

export class OpfsWriter implements FileWriter {
  readonly #id = ++ids;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #size = 0;
  /** The last batch sent and not answered yet: one in flight while the next fills. */
  #pending: Promise<unknown> = Promise.resolve();
  /** Ranges the worker is copying from a source file (copyFrom). */
  readonly #copies = new Set<Promise<unknown>>();
  /** Whether the worker has the source file's handle (sent with the first range: each clone costs a call). */
  #sourceSent = false;

  constructor(
    private readonly root: number,
    private readonly staging: string,
    private readonly staged: string,
    private readonly dir: string,
    private readonly name: string,
    private readonly path: string,
  ) {}

  /** The worker this file's requests go to, chosen by its first request (see WORKERS). */
  #to: number | null = null;

  #worker(copying: boolean): number {
    this.#to ??= copying ? copyTurn++ : this.#id % SMALL_WORKERS;
    return this.#to;
  }

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
    this.#pending = call({ op: 'write', chunks: [batch], ...this.#ref() }, [batch.buffer], this.#worker(false));
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

  /**
   * FileWriter.copyFrom: the worker reads the range from the source (its OPFS file through a read-only sync handle when
   * the BlobFile has one, else its File snapshot), writes it and answers its block hashes. Null for bytes already in this page (a small file kept from the inventory: sent with the flush) and for
   * files that are not browser Files.
   */
  copyFrom(file: OpenFile, start: number, end: number, blockSize: number): Promise<string[]> | null {
    if (!(file instanceof BlobFile) || file.inMemory || this.#chunks.length > 0) return null;
    this.#size += end - start;
    const source = this.#sourceSent ? undefined : file.source;
    this.#sourceSent = true;
    const copied = call({ op: 'copy', blob: file.blob, start, end, blockSize, ...(source ? { source } : {}), ...this.#ref() }, [], this.#worker(true)).catch((error: unknown) => Promise.reject(fsaError(error, this.path)));
    this.#copies.add(copied);
    const settled = () => void this.#copies.delete(copied);
    copied.then(settled, settled);
    return copied as Promise<string[]>;
  }

  /**
   * FileWriter.flush, for every file: its last bytes written, flushed to the disk, its size checked and the staged file
   * closed in one request, before the engine moves what stands at the target to versions. A tab closed during a flush
   * done later, at the commit, would leave the target moved away and nothing in its place (which a Two-way could take
   * for a deletion); now it leaves at most the time of the two moves. A small file's bytes travel with this request,
   * so the commit is the move alone.
   */
  async flush(): Promise<void> {
    await this.#settle();
    await Promise.all(this.#copies).catch(() => undefined); // a copy that failed fails the file through its own promise
    const batch = this.#take();
    try {
      await call({ op: 'flush', chunks: [batch], size: this.#size, ...this.#ref() }, [batch.buffer], this.#worker(false));
    } catch (error) {
      throw fsaError(error, this.path);
    }
  }

  async commit(): Promise<FileStat> {
    await this.#settle();
    const batch = this.#take();
    try {
      return (await call({ op: 'commit', chunks: [batch], size: this.#size, dir: this.dir, name: this.name, ...this.#ref() }, [batch.buffer], this.#worker(false))) as FileStat;
    } catch (error) {
      throw fsaError(error, this.path);
    }
  }

  async abort(): Promise<void> {
    this.#chunks = [];
    this.#buffered = 0;
    await this.#pending.catch(() => undefined);
    await Promise.allSettled(this.#copies);
    await call({ op: 'abort', ...this.#ref() }, [], this.#worker(false)).catch(() => undefined);
  }

  async #settle(): Promise<void> {
    try {
      await this.#pending;
    } catch (error) {
      throw fsaError(error, this.path);
    }
  }
}
