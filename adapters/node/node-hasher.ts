/** Hasher port for Node: SHA-256 through node:crypto, large files hashed in a pool of worker threads. */
import { Worker } from 'node:worker_threads';
import { hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { CancelSignal, Hasher, OpenFile } from '../../core/ports.ts';
import { cancelled } from '../../core/errors.ts';
import { isNodeOpenFile, type NodeOpenFile } from './node-dir-sink.ts';
import { nodeError } from './node-errors.ts';
import { HASH_WORKER_SOURCE } from './hash-worker-source.ts';

/** Files up to this size are hashed in the calling thread: a worker round trip costs more than hashing them. */
const INLINE_BYTES = 1 << 20;
/** Bytes per worker request: big enough to keep a core busy, small enough to stop soon after a cancel. */
const STEP_BYTES = 16 << 20;
/**
 * Files up to this size are read and hashed in the calling thread even from a disk source: their open, read and hash
 * cost it about what their message to the worker and its answer do (a cold `quintet local` of 2,000 files of 64 B–4 KiB:
 * main thread 380 ms without the worker, 360-386 ms with it), and the worker's own start-up (~60 ms of CPU) is then
 * saved: on two busy cores that was the difference (bench/README.md, "Local mirror", 2026-11-30 22:46).
 */
const WORKER_FROM_BYTES = 64 * 1024;
/**
 * Larger files of a disk source up to INLINE_BYTES are read and hashed in a worker, up to BATCH_FILES to a message: the
 * open, stat, read, close and hashing of thousands of small files leave the engine's thread (measured: about a third
 * of a cold `quintet local` of 2,000 small files' main thread was its inventory), one message per batch.
 */
const BATCH_FILES = 64;

interface Job {
  id: number;
  path?: string;
  ino?: number;
  size?: number;
  mtime?: number;
  offset?: number;
  length?: number;
  bytes?: Uint8Array;
  blockSize: number;
}

/** One file of a batch, and its caller. */
interface BatchJob {
  path: string;
  ino: number;
  size: number;
  mtime: number;
  blockSize: number;
  resolve: (hashes: string[]) => void;
  reject: (error: unknown) => void;
}

type BatchResult = { hashes: string[] } | { error: { code?: string; message: string } };

/** A worker's answer: one range's hashes, a batch's results, or why it failed. */
interface Reply {
  id: number;
  hashes?: string[];
  results?: BatchResult[];
  error?: { code?: string; message: string };
}

interface Slot {
  worker: Worker;
  busy: number;
  pending: Map<number, { resolve: (reply: Reply) => void; reject: (error: unknown) => void; path: string }>;
}

let jobs = 0;

/** A Hasher whose large files go to `size` worker threads (default: cores, at most 4); `dispose()` stops them. */
export class NodeHasher implements Hasher {
  /** Files in flight at once: small ones are bound by open/read latency, large ones by the pool. */
  readonly parallelism: number;
  #pool: Slot[] = [];
  #size: number;
  /** Small files waiting for the next batch, sent on the next turn of the event loop or once BATCH_FILES are in. */
  #batch: BatchJob[] = [];
  #batchDue = false;
  /**
   * Whether the first worker runs. Its start-up (a Node environment: ~40 ms, more on a busy machine) is longer than the
   * walk takes to find the first files, and files are hashed here meanwhile instead of queueing for it.
   */
  #online = false;

  constructor(size = Math.min(4, Math.max(1, availableParallelism()))) {
    this.#size = size;
    // Enough small files in flight to fill a batch.
    this.parallelism = Math.max(BATCH_FILES, size * 2);
  }

  /** Starts a worker now, so it is ready when the first files come (its start-up overlaps the caller's own). */
  start(): void {
    if (this.#pool.length === 0) this.#slot();
  }

  /** Starts the first worker if need be and resolves once it runs (from then on files of 64 KiB–1 MiB go to it) or ends. */
  async ready(): Promise<void> {
    this.start();
    const slot = this.#pool[0];
    if (!this.#online && slot) await new Promise((resolve) => void (slot.worker.once('online', resolve), slot.worker.once('exit', resolve)));
  }

  async hashBlocks(file: OpenFile, blockSize: number, signal?: CancelSignal): Promise<string[]> {
    if (signal?.aborted) throw cancelled();
    if (file.size === 0) return [];
    if (file.size <= INLINE_BYTES) {
      if (isNodeOpenFile(file) && file.size > WORKER_FROM_BYTES) {
        if (this.#online) return this.#batched(file, blockSize);
        this.start(); // until it runs, here
      }
      return hashInline(await file.read(0, file.size), blockSize);
    }
    const step = Math.max(blockSize, Math.floor(STEP_BYTES / blockSize) * blockSize);
    const out: string[] = [];
    for (let offset = 0; offset < file.size; offset += step) {
      if (signal?.aborted) throw cancelled();
      const length = Math.min(step, file.size - offset);
      const job: Job = isNodeOpenFile(file)
        ? { id: ++jobs, path: file.absPath, ino: file.ino, size: file.size, mtime: file.mtime, offset, length, blockSize }
        : { id: ++jobs, bytes: await file.read(offset, length), blockSize };
      out.push(...(await this.#run(job, isNodeOpenFile(file) ? file.absPath : '')));
    }
    return out;
  }

  async digest(data: Uint8Array): Promise<string> {
    // One-shot: no Hash object per call (the engine digests every small file's block and file hash, twice per copy).
    return hash('sha256', data, 'hex');
  }

  /** Stops the workers (a later call starts new ones). */
  async dispose(): Promise<void> {
    const pool = this.#pool;
    this.#pool = [];
    // A worker terminated mid-job (a session ended during its inventory) sometimes never reports its exit, and this
    // await was then all the event loop had left: it ran dry under the caller's pending end (the `quintet` process
    // ended with Node's 13 instead of its own code). A second is the most it waits; the process's exit stops them anyway.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(pool.map((slot) => slot.worker.terminate())), new Promise((r) => (timer = setTimeout(r, 1000)))]);
    clearTimeout(timer);
  }

  async #run(job: Job, path: string): Promise<string[]> {
    return (await this.#post(job, path)).hashes ?? [];
  }

  #post(job: Job | { id: number; batch: unknown[] }, path: string): Promise<Reply> {
    // Batches all go to the first worker: a second one costs its start-up (tens of ms of CPU) for work one keeps up with.
    const slot = 'batch' in job ? (this.#pool[0] ?? this.#slot()) : this.#slot();
    // A worker with work in hand keeps the process alive (else an awaited hash can end the event loop); idle, it never does.
    if (slot.busy++ === 0) slot.worker.ref();
    return new Promise<Reply>((resolve, reject) => {
      slot.pending.set(job.id, { resolve, reject, path });
      slot.worker.postMessage(job, 'bytes' in job && job.bytes ? [job.bytes.buffer as ArrayBuffer] : []);
    }).finally(() => {
      if (--slot.busy === 0) slot.worker.unref();
    });
  }

  /** A small file of a disk source, read and hashed in a worker with others (BATCH_FILES). */
  #batched(file: NodeOpenFile, blockSize: number): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
      this.#batch.push({ path: file.absPath, ino: file.ino, size: file.size, mtime: file.mtime, blockSize, resolve, reject });
      if (this.#batch.length >= BATCH_FILES) this.#sendBatch();
      else if (!this.#batchDue) {
        this.#batchDue = true;
        setImmediate(() => this.#sendBatch());
      }
    });
  }

  #sendBatch(): void {
    this.#batchDue = false;
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const jobsOut = batch.map(({ path, ino, size, mtime, blockSize }) => ({ path, ino, size, mtime, blockSize }));
    this.#post({ id: ++jobs, batch: jobsOut }, batch[0]?.path ?? '').then(
      (reply) => {
        batch.forEach((job, i) => {
          const r = reply.results?.[i];
          if (!r) return job.reject(nodeError(new Error('no answer from the hashing worker'), job.path));
          if ('error' in r) return job.reject(nodeError(Object.assign(new Error(r.error.message), { code: r.error.code }), job.path));
          job.resolve(r.hashes);
        });
      },
      (error: unknown) => {
        for (const job of batch) job.reject(nodeError(error, job.path));
      },
    );
  }

  #slot(): Slot {
    const idle = this.#pool.find((s) => s.busy === 0);
    if (idle) return idle;
    if (this.#pool.length < this.#size) {
      const worker = new Worker(HASH_WORKER_SOURCE, { eval: true, name: 'quintet-hash' });
      const slot: Slot = { worker, busy: 0, pending: new Map() };
      worker.on('message', (m: Reply) => {
        const waiting = slot.pending.get(m.id);
        if (!waiting) return;
        slot.pending.delete(m.id);
        if (m.error) waiting.reject(nodeError(Object.assign(new Error(m.error.message), { code: m.error.code }), waiting.path));
        else waiting.resolve(m);
      });
      worker.on('error', (error) => {
        for (const w of slot.pending.values()) w.reject(nodeError(error, w.path));
        slot.pending.clear();
        this.#pool = this.#pool.filter((s) => s !== slot);
      });
      worker.once('online', () => (this.#online = true));
      worker.unref();
      this.#pool.push(slot);
      return slot;
    }
    return this.#pool.reduce((a, b) => (b.busy < a.busy ? b : a));
  }
}

function hashInline(bytes: Uint8Array, blockSize: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < bytes.length; at += blockSize) out.push(hash('sha256', bytes.subarray(at, Math.min(bytes.length, at + blockSize)), 'hex'));
  return out;
}
