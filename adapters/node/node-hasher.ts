/** Hasher port for Node: SHA-256 through node:crypto, large files hashed in a pool of worker threads. */
import { Worker } from 'node:worker_threads';
import { hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { CancelSignal, Hasher, OpenFile } from '../../core/ports.ts';
import { cancelled } from '../../core/errors.ts';
import { isNodeOpenFile } from './node-dir-sink.ts';
import { nodeError } from './node-errors.ts';
import { HASH_WORKER_SOURCE } from './hash-worker-source.ts';

/** Files up to this size are hashed in the calling thread: a worker round trip costs more than hashing them. */
const INLINE_BYTES = 1 << 20;
/** Bytes per worker request: big enough to keep a core busy, small enough to stop soon after a cancel. */
const STEP_BYTES = 16 << 20;

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

interface Slot {
  worker: Worker;
  busy: number;
  pending: Map<number, { resolve: (hashes: string[]) => void; reject: (error: unknown) => void; path: string }>;
}

let jobs = 0;

/** A Hasher whose large files go to `size` worker threads (default: cores, at most 4); `dispose()` stops them. */
export class NodeHasher implements Hasher {
  /** Files in flight at once: small ones are bound by open/read latency, large ones by the pool. */
  readonly parallelism: number;
  #pool: Slot[] = [];
  #size: number;

  constructor(size = Math.min(4, Math.max(1, availableParallelism()))) {
    this.#size = size;
    this.parallelism = Math.max(8, size * 2);
  }

  async hashBlocks(file: OpenFile, blockSize: number, signal?: CancelSignal): Promise<string[]> {
    if (signal?.aborted) throw cancelled();
    if (file.size === 0) return [];
    if (file.size <= INLINE_BYTES) return hashInline(await file.read(0, file.size), blockSize);
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
    await Promise.all(pool.map((slot) => slot.worker.terminate()));
  }

  #run(job: Job, path: string): Promise<string[]> {
    const slot = this.#slot();
    // A worker with work in hand keeps the process alive (else an awaited hash can end the event loop); idle, it never does.
    if (slot.busy++ === 0) slot.worker.ref();
    return new Promise<string[]>((resolve, reject) => {
      slot.pending.set(job.id, { resolve, reject, path });
      slot.worker.postMessage(job, job.bytes ? [job.bytes.buffer as ArrayBuffer] : []);
    }).finally(() => {
      if (--slot.busy === 0) slot.worker.unref();
    });
  }

  #slot(): Slot {
    const idle = this.#pool.find((s) => s.busy === 0);
    if (idle) return idle;
    if (this.#pool.length < this.#size) {
      const worker = new Worker(HASH_WORKER_SOURCE, { eval: true, name: 'quintet-hash' });
      const slot: Slot = { worker, busy: 0, pending: new Map() };
      worker.on('message', (m: { id: number; hashes?: string[]; error?: { code?: string; message: string } }) => {
        const waiting = slot.pending.get(m.id);
        if (!waiting) return;
        slot.pending.delete(m.id);
        if (m.error) waiting.reject(nodeError(Object.assign(new Error(m.error.message), { code: m.error.code }), waiting.path));
        else waiting.resolve(m.hashes ?? []);
      });
      worker.on('error', (error) => {
        for (const w of slot.pending.values()) w.reject(nodeError(error, w.path));
        slot.pending.clear();
        this.#pool = this.#pool.filter((s) => s !== slot);
      });
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
