/**
 * Web Worker: SHA-256 per fixed-size block with WebCrypto off the main thread, reading a large OPFS file through a
 * read-only sync access handle (workers/sync-read.ts) and any other Blob in large slices.
 */
import * as Comlink from 'comlink';
import { SyncReader } from './sync-read.ts';

// Each slice read is a round trip to the browser process: 16 MiB slices read 1 GiB of OPFS at 1.8× the rate of 4 MiB
// ones (505 vs 279 MB/s in 2 workers, bench/inventory/profile.ts, Chromium 156). A blob that fits in one slice is read
// whole, because Blob.slice().arrayBuffer() costs 2.6× Blob.arrayBuffer() on small OPFS files (0.43 vs 0.16 ms).
const SLICE = 16 * 1024 * 1024;
// Digests in flight: WebCrypto runs them on its own threads, a few at once keep them busy (a sliding window: the
// oldest is awaited when full, so the window never drains between slices).
const IN_FLIGHT = 8;
// Small files are read a group at a time, as one Blob made of their Files: one read (one data pipe from the browser
// process) for the group instead of one per file. 5,000 small OPFS files read in a worker (bench/local/opfs-small-reads.ts,
// getFile() included): renderer CPU 0.73-0.79 s file by file, 32 at once, against 0.28-0.35 s in groups of 32-64, 4 at
// once, browser process 1.34-1.59 against 1.12-1.29 s. A group's read fails whole if one file changed since its
// snapshot (NotReadableError, as a single read would), and is then read file by file.
const GROUP_FILES = 64;
const GROUP_BYTES = 8 * 1024 * 1024;
const GROUPS_IN_FLIGHT = 4;

/** One small file of a batch, and what became of it: its block hashes, or the error its read threw (by name). */
export interface BatchItem {
  blob: Blob;
  blockSize: number;
  /** Send the bytes read back with the hashes (a Local Session keeps small files' bytes for the copy that follows). */
  keep?: boolean;
}
export type BatchResult = { blocks: string[]; bytes?: ArrayBuffer } | { error: { name: string; message: string } };

function hex(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let out = '';
  for (let i = 0; i < view.length; i++) out += view[i]!.toString(16).padStart(2, '0');
  return out;
}

function sliceFor(blockSize: number): number {
  return Math.max(blockSize, Math.floor(SLICE / blockSize) * blockSize);
}

/**
 * Block hashes read through a sync handle into one reused buffer (WebCrypto copies what it digests when called), then
 * the check that the file is still the snapshot's: bytes of a file changed meanwhile fail as a stale Blob's would.
 */
async function hashSync(reader: SyncReader, size: number, blockSize: number): Promise<string[]> {
  const out = new Array<string>(Math.ceil(size / blockSize));
  const sliceSize = sliceFor(blockSize);
  const buffer = new Uint8Array(Math.min(sliceSize, size));
  const pending: Promise<void>[] = [];
  for (let start = 0; start < size; start += sliceSize) {
    const bytes = buffer.subarray(0, Math.min(sliceSize, size - start));
    reader.read(bytes, start);
    for (let off = 0; off < bytes.byteLength; off += blockSize) {
      const index = (start + off) / blockSize;
      pending.push(crypto.subtle.digest('SHA-256', bytes.subarray(off, Math.min(bytes.byteLength, off + blockSize))).then((d) => void (out[index] = hex(d))));
      if (pending.length >= IN_FLIGHT) await pending.shift();
    }
  }
  await Promise.all(pending);
  await reader.unchanged();
  return out;
}

/** Consecutive runs of items, [first, end), each at most GROUP_FILES files and GROUP_BYTES bytes (a larger blob alone). */
function groupsOf(items: BatchItem[]): Array<[number, number]> {
  const groups: Array<[number, number]> = [];
  let first = 0;
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    const size = items[i]!.blob.size;
    if (i > first && (i - first >= GROUP_FILES || bytes + size > GROUP_BYTES)) {
      groups.push([first, i]);
      first = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (items.length > first) groups.push([first, items.length]);
  return groups;
}

/** The bytes of items[first, end) read as one Blob, cut back into each item's; null when that read failed. */
async function readGroup(items: BatchItem[], first: number, end: number): Promise<{ parts: Uint8Array<ArrayBuffer>[] } | null> {
  const blobs = items.slice(first, end).map((item) => item.blob);
  let all: ArrayBuffer;
  try {
    all = await (blobs.length === 1 ? blobs[0]! : new Blob(blobs)).arrayBuffer();
  } catch {
    return null; // read again file by file: the failure is then that file's own
  }
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let at = 0;
  for (const blob of blobs) {
    parts.push(new Uint8Array(all, at, blob.size));
    at += blob.size;
  }
  // A length that does not add up (a file changed in size without failing the read) is not trusted: file by file.
  return at === all.byteLength ? { parts } : null;
}

const api = {
  /**
   * Hex SHA-256 of each block of the blob, in order. `source`, the OPFS file the blob is a snapshot of, is read through
   * a read-only sync handle when one can be had; otherwise the next slice of the blob is read while the current one is
   * digested.
   */
  async hashBlob(blob: Blob, blockSize: number, source?: FileSystemFileHandle): Promise<string[]> {
    const reader = await SyncReader.open(source, blob);
    if (reader) {
      try {
        return await hashSync(reader, blob.size, blockSize);
      } finally {
        reader.close();
      }
    }
    const out = new Array<string>(Math.ceil(blob.size / blockSize));
    const sliceSize = sliceFor(blockSize);
    const read = (start: number) =>
      // A blob that fits in one slice is read whole (see SLICE).
      (start === 0 && blob.size <= sliceSize ? blob : blob.slice(start, Math.min(blob.size, start + sliceSize))).arrayBuffer();
    let next: Promise<ArrayBuffer> | null = blob.size > 0 ? read(0) : null;
    const pending: Promise<void>[] = [];
    for (let start = 0; next; start += sliceSize) {
      const buffer = await next;
      next = start + sliceSize < blob.size ? read(start + sliceSize) : null;
      for (let off = 0; off < buffer.byteLength; off += blockSize) {
        const index = (start + off) / blockSize;
        const view = new Uint8Array(buffer, off, Math.min(blockSize, buffer.byteLength - off));
        pending.push(crypto.subtle.digest('SHA-256', view).then((d) => void (out[index] = hex(d))));
        if (pending.length >= IN_FLIGHT) await pending.shift();
      }
    }
    await Promise.all(pending);
    return out;
  },

  /**
   * Block hashes of many small blobs in one message (a message per file cost more than its hashing). Blobs are read a
   * group at a time as one Blob of them all (see GROUP_FILES); a group whose read fails (one of its files changed since
   * its snapshot, or unreadable) is read again file by file, so a failed read is that file's result and the others go on.
   */
  async hashBlobs(items: BatchItem[]): Promise<BatchResult[]> {
    const out = new Array<BatchResult>(items.length);
    const kept: ArrayBuffer[] = [];
    const groups = groupsOf(items);
    let next = 0;
    const lane = async () => {
      while (next < groups.length) {
        const [first, end] = groups[next++]!;
        const whole = await readGroup(items, first, end);
        // Every file's digests of the group at once: WebCrypto answers each from its own threads.
        await Promise.all(items.slice(first, end).map(async ({ blob, blockSize, keep }, k) => {
          try {
            const bytes: Uint8Array<ArrayBuffer> = whole ? whole.parts[k]! : new Uint8Array(await blob.arrayBuffer());
            const blocks: Promise<string>[] = [];
            for (let off = 0; off < bytes.byteLength; off += blockSize) {
              blocks.push(crypto.subtle.digest('SHA-256', bytes.subarray(off, Math.min(bytes.byteLength, off + blockSize))).then(hex));
            }
            // A kept file's bytes go back as a buffer of their own (transferred): a group's are copied out of its read.
            const own = keep ? (whole && end - first > 1 ? bytes.slice().buffer : bytes.buffer) : undefined;
            out[first + k] = { blocks: await Promise.all(blocks), ...(own ? { bytes: own } : {}) };
            if (own) kept.push(own);
          } catch (error) {
            const e = error as { name?: string; message?: string };
            out[first + k] = { error: { name: e?.name ?? 'Error', message: e?.message ?? String(error) } };
          }
        }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(GROUPS_IN_FLIGHT, groups.length) }, lane));
    // Kept bytes go back transferred, not copied.
    return Comlink.transfer(out, kept);
  },

  /** Hex SHA-256 of each block of bytes handed over from the main thread (transferred, not copied). */
  async hashBytes(bytes: Uint8Array, blockSize: number): Promise<string[]> {
    const out: Promise<string>[] = [];
    for (let off = 0; off < bytes.byteLength; off += blockSize) {
      out.push(crypto.subtle.digest('SHA-256', bytes.subarray(off, Math.min(bytes.byteLength, off + blockSize)) as Uint8Array<ArrayBuffer>).then(hex));
    }
    return Promise.all(out);
  },
};

export type HashWorkerApi = typeof api;
Comlink.expose(api);
