/** Hasher port for the browser: a pool of hashing Web Workers behind comlink; small digests stay on the main thread. */
import * as Comlink from 'comlink';
import type { CancelSignal, Hasher, OpenFile } from '../../core/ports.ts';
import { cancelled } from '../../core/errors.ts';
import type { HashWorkerApi } from '../../workers/hash-worker.ts';
import { BlobFile } from './blob-file.ts';

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

interface PooledWorker {
  worker: Worker;
  api: Comlink.Remote<HashWorkerApi>;
  busy: number;
}

/** A Hasher whose work is spread over `size` workers (default: cores, at most 4). */
export class WorkerHasher implements Hasher {
  /** Small files are latency-bound (an IPC per read): keep many in flight across the pool. */
  readonly parallelism = 16;
  #pool: PooledWorker[] = [];

  constructor(size = Math.min(4, Math.max(1, navigator.hardwareConcurrency || 2))) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('../../workers/hash-worker.ts', import.meta.url), { type: 'module', name: `quintet-hash-${i}` });
      this.#pool.push({ worker, api: Comlink.wrap<HashWorkerApi>(worker), busy: 0 });
    }
  }

  async hashBlocks(file: OpenFile, blockSize: number, signal?: CancelSignal): Promise<string[]> {
    if (signal?.aborted) throw cancelled();
    if (file.size === 0) return [];
    const slot = this.#pool.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    try {
      if (file instanceof BlobFile) return await slot.api.hashBlob(file.blob, blockSize);
      const out: string[] = [];
      const step = Math.max(blockSize, Math.floor((4 << 20) / blockSize) * blockSize);
      for (let off = 0; off < file.size; off += step) {
        if (signal?.aborted) throw cancelled();
        const bytes = await file.read(off, step);
        out.push(...(await slot.api.hashBytes(Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]), blockSize)));
      }
      return out;
    } finally {
      slot.busy--;
    }
  }

  async digest(data: Uint8Array): Promise<string> {
    return hex(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  }

  /** Stops the workers. */
  dispose(): void {
    for (const slot of this.#pool) slot.worker.terminate();
    this.#pool = [];
  }
}
