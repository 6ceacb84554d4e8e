/**
 * Hasher port for the browser: a pool of hashing Web Workers behind comlink. Small files travel many to a message,
 * large ones one per call with a bounded number per worker; small digests stay on the main thread.
 */
import * as Comlink from 'comlink';
import type { CancelSignal, Hasher, OpenFile } from '../../core/ports.ts';
import { cancelled } from '../../core/errors.ts';
import type { BatchItem, BatchResult, HashWorkerApi } from '../../workers/hash-worker.ts';
import { BlobFile } from './blob-file.ts';
import { fsaError } from './fsa-errors.ts';

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Files up to this size go in batches: read whole in the worker, they cost an IPC each more than their hashing. */
const SMALL_BYTES = 1 << 20;
/** Most files in one batch message (a batch is answered whole: a cap keeps progress moving). */
const BATCH_MAX = 256;
/**
 * Batch messages a worker holds at once: one being hashed and one waiting, so a worker never idles on the round trip.
 * Files asked for meanwhile wait on the main thread and leave together in the next batch: under load batches grow.
 */
const BATCHES_PER_WORKER = 2;
/** Large files hashed at once per worker: enough to overlap one file's read with another's digests. */
const LARGE_PER_WORKER = 2;

interface PooledWorker {
  worker: Worker;
  api: Comlink.Remote<HashWorkerApi>;
  /** Large files being hashed. */
  busy: number;
  /** Batch messages not answered yet. */
  batches: number;
}

interface Waiting {
  item: BatchItem;
  path: string;
  resolve: (blocks: string[], bytes?: ArrayBuffer) => void;
  reject: (error: unknown) => void;
}

/** A Hasher whose work is spread over `size` workers (default: cores, at most 4). */
export class WorkerHasher implements Hasher {
  /**
   * Files in flight at once (the inventory's pool): small files are latency-bound and wait here to leave in batches;
   * large ones wait for a worker's turn holding only their File snapshot (no bytes).
   */
  readonly parallelism = 256;
  #pool: PooledWorker[] = [];
  #small: Waiting[] = [];
  #largeTurns: Array<() => void> = [];

  constructor(size = Math.min(4, Math.max(1, navigator.hardwareConcurrency || 2))) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('../../workers/hash-worker.ts', import.meta.url), { type: 'module', name: `quintet-hash-${i}` });
      this.#pool.push({ worker, api: Comlink.wrap<HashWorkerApi>(worker), busy: 0, batches: 0 });
    }
  }

  async hashBlocks(file: OpenFile, blockSize: number, signal?: CancelSignal): Promise<string[]> {
    if (signal?.aborted) throw cancelled();
    if (file.size === 0) return [];
    if (file instanceof BlobFile && file.size <= SMALL_BYTES) {
      return new Promise((resolve, reject) => {
        const keep = file.keep;
        const item: BatchItem = { blob: file.blob, blockSize, ...(keep ? { keep: true } : {}) };
        this.#small.push({ item, path: file.path, resolve: keep ? (blocks, bytes) => (bytes && keep(new Uint8Array(bytes)), resolve(blocks)) : resolve, reject });
        this.#sendBatches();
      });
    }
    const slot = await this.#largeTurn();
    if (signal?.aborted) {
      this.#largeDone(slot);
      throw cancelled();
    }
    try {
      if (file instanceof BlobFile) return await slot.api.hashBlob(file.blob, blockSize, file.source).catch((error: unknown) => Promise.reject(fsaError(error, file.path)));
      const out: string[] = [];
      const step = Math.max(blockSize, Math.floor((4 << 20) / blockSize) * blockSize);
      for (let off = 0; off < file.size; off += step) {
        if (signal?.aborted) throw cancelled();
        const bytes = await file.read(off, step);
        out.push(...(await slot.api.hashBytes(Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]), blockSize)));
      }
      return out;
    } finally {
      this.#largeDone(slot);
    }
  }

  /** Sends what waits to every worker with room for a batch, least loaded first. */
  #sendBatches(): void {
    while (this.#small.length > 0) {
      const slot = this.#pool.reduce((a, b) => (b.batches < a.batches ? b : a));
      if (slot.batches >= BATCHES_PER_WORKER) return;
      const batch = this.#small.splice(0, BATCH_MAX);
      slot.batches++;
      slot.api.hashBlobs(batch.map((w) => w.item)).then(
        (results: BatchResult[]) => {
          results.forEach((r, i) => {
            const w = batch[i]!;
            if ('blocks' in r) w.resolve(r.blocks, r.bytes);
            else w.reject(fsaError(Object.assign(new Error(r.error.message), { name: r.error.name }), w.path));
          });
        },
        (error: unknown) => {
          for (const w of batch) w.reject(fsaError(error, w.path));
        },
      ).finally(() => {
        slot.batches--;
        this.#sendBatches();
      });
    }
  }

  /** Waits until a worker may take one more large file and counts it there. */
  async #largeTurn(): Promise<PooledWorker> {
    for (;;) {
      const slot = this.#pool.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (slot.busy < LARGE_PER_WORKER) {
        slot.busy++;
        return slot;
      }
      await new Promise<void>((resolve) => this.#largeTurns.push(resolve));
    }
  }

  #largeDone(slot: PooledWorker): void {
    slot.busy--;
    this.#largeTurns.shift()?.();
  }

  async digest(data: Uint8Array): Promise<string> {
    return hex(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  }

  /** Stops the workers; files still waiting fail. */
  dispose(): void {
    for (const slot of this.#pool) slot.worker.terminate();
    this.#pool = [];
    for (const w of this.#small.splice(0)) w.reject(new Error('hasher disposed'));
  }
}
