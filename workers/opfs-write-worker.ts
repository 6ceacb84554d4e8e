/**
 * Web Worker: writes files of an OPFS folder through FileSystemSyncAccessHandle (OPFS only, workers only), staged in
 * `.quintet/tmp/` and moved into place, for adapters/browser/opfs-writer.ts. A sync handle writes without the swap
 * file, the extra IPCs and the main-thread cost of createWritable → write → close (measured: most of a small file's
 * cost in a Local Mirror), and the size check before the move lets the writer vouch for its bytes.
 */
import type { OpfsReply, OpfsRequest } from './opfs-write-protocol.ts';
import { BlobRanges } from './blob-ranges.ts';
import { SyncRanges, SyncReader } from './sync-read.ts';

/** Where a copy's ranges come from: the OPFS file through a read-only sync handle, or its snapshot's byte stream. */
type Ranges = BlobRanges | SyncRanges;

interface Open {
  handle: FileSystemSyncAccessHandle;
  file: FileSystemFileHandle;
  written: number;
  /** Grown to the source's size by its first copied range. */
  sized?: boolean;
  /** Flushed, checked and closed by a 'flush' request: the commit has only the move left. */
  closed?: boolean;
  /**
   * The staged file's size and time once closed: what the commit vouches for (a move keeps the time). Taken at the
   * final name after the move, it was whatever stood there then: a save landing just after the move, found the wrong
   * size, was removed as a corrupt copy. Taken with the flush, so the commit stays the move alone.
   */
  stat?: { size: number; mtime: number };
}

interface SyncFileHandle extends FileSystemFileHandle {
  createSyncAccessHandle(): Promise<FileSystemSyncAccessHandle>;
  move(dir: FileSystemDirectoryHandle, name: string): Promise<void>;
}

const roots = new Map<number, FileSystemDirectoryHandle>();
/** Directory handles by `${root}\0${path}`; dropped on 'forget' and on a move that fails with NotFoundError. */
const dirs = new Map<string, FileSystemDirectoryHandle>();
const files = new Map<number, Open>();
/**
 * The source each file copies in (the 'copy' op), by file: opened when its first range arrives, which alone carries the
 * source's handle (set before anything is awaited, so a later range never finds the map empty and opens the Blob path).
 */
const sources = new Map<number, Promise<Ranges>>();
/** Files whose staged file is being created: later writes of the same file wait for it. */
const opening = new Map<number, Promise<Open>>();

async function dirAt(root: number, path: string, create: boolean): Promise<FileSystemDirectoryHandle> {
  const key = `${root}\0${path}`;
  const known = dirs.get(key);
  if (known) return known;
  const top = roots.get(root);
  if (!top) throw Object.assign(new Error(`unknown root ${root}`), { name: 'InvalidStateError' });
  let current = top;
  let walked = '';
  for (const name of path === '' ? [] : path.split('/')) {
    walked = walked === '' ? name : `${walked}/${name}`;
    const at = `${root}\0${walked}`;
    current = dirs.get(at) ?? (await current.getDirectoryHandle(name, { create }));
    dirs.set(at, current);
  }
  return current;
}

function forget(root: number, path: string): void {
  const key = `${root}\0${path}`;
  for (const k of [...dirs.keys()]) if (k === key || k.startsWith(`${key}/`) || (path === '' && k.startsWith(`${root}\0`))) dirs.delete(k);
}

async function openStaged(root: number, staging: string, staged: string): Promise<Open> {
  const create = async () => (await dirAt(root, staging, true)).getFileHandle(staged, { create: true });
  const file = (await create().catch((error: unknown) => {
    if ((error as { name?: string }).name !== 'NotFoundError') throw error;
    forget(root, staging); // the staging folder was removed since its handle was cached: make it again
    return create();
  })) as SyncFileHandle;
  // The staged name is new (time, counter, random): the file is empty, nothing to truncate.
  const handle = await file.createSyncAccessHandle();
  return { handle, file, written: 0 };
}

async function fileOf(r: Extract<OpfsRequest, { op: 'write' | 'copy' | 'flush' | 'commit' }>): Promise<Open> {
  const known = files.get(r.id);
  if (known) return known;
  let pending = opening.get(r.id);
  if (!pending) {
    pending = openStaged(r.root, r.staging, r.staged);
    opening.set(r.id, pending);
  }
  try {
    const open = await pending;
    files.set(r.id, open);
    return open;
  } finally {
    opening.delete(r.id);
  }
}

function put(open: Open, chunks: Uint8Array[]): void {
  for (const chunk of chunks) {
    let off = 0;
    // write() may write less than asked (quota): what it refuses is an error, never a silent gap.
    while (off < chunk.byteLength) {
      const n = open.handle.write(chunk.subarray(off), { at: open.written });
      if (n <= 0) throw Object.assign(new Error('the file took no more bytes'), { name: 'QuotaExceededError' });
      off += n;
      open.written += n;
    }
  }
}

/** Writes bytes at their place in the staged file (ranges of one file may arrive in any order). */
function putAt(open: Open, bytes: Uint8Array, at: number): void {
  for (let off = 0; off < bytes.byteLength; ) {
    const n = open.handle.write(bytes.subarray(off), { at: at + off });
    if (n <= 0) throw Object.assign(new Error('the file took no more bytes'), { name: 'QuotaExceededError' });
    off += n;
    open.written += n;
  }
}

function hex(digest: ArrayBuffer): string {
  const view = new Uint8Array(digest);
  let out = '';
  for (let i = 0; i < view.length; i++) out += view[i]!.toString(16).padStart(2, '0');
  return out;
}

/**
 * Reads bytes [start, end) of the source blob here, writes them at `start` and answers the SHA-256 of each block: the
 * page's main thread neither reads, hashes nor copies them, and the engine checks the hashes before the commit.
 */
async function copy(r: Extract<OpfsRequest, { op: 'copy' }>): Promise<string[]> {
  let ranges = sources.get(r.id);
  if (!ranges) {
    ranges = SyncReader.open(r.source, r.blob).then((reader) => (reader ? new SyncRanges(reader) : new BlobRanges(r.blob)));
    sources.set(r.id, ranges);
  }
  const open = await fileOf(r);
  // The staged file takes the source's size at once: one capacity request to the browser instead of one each time a
  // write grows the file past what it was granted. Its size check still counts the bytes written (flushChecked).
  if (!open.sized) {
    open.sized = true;
    if (open.handle.getSize() < r.blob.size) open.handle.truncate(r.blob.size);
  }
  // A snapshot of a file changed since reads short or fails (NotReadableError), and so does a sync handle's read
  // (SyncRanges checks the file after each range): either way not the inventoried bytes.
  const source = await ranges;
  const hashes: Promise<string>[] = [];
  // Block by block (ranges are whole blocks), in the core's cache: WebCrypto copies the bytes when called, and the sync
  // handle writes them from the same view, no copy between. Each write costs Chrome's browser process a little (0.2 s
  // more of its CPU a GiB than 8 MiB writes); 1 MiB pieces saved that but took longer (bench/README.md).
  await source.read(r.start, r.end, r.blockSize, (bytes, at) => {
    hashes.push(crypto.subtle.digest('SHA-256', bytes).then(hex));
    putAt(open, bytes, at);
  });
  return Promise.all(hashes);
}

async function moveInto(r: Extract<OpfsRequest, { op: 'commit' }>, file: SyncFileHandle): Promise<void> {
  try {
    await file.move(await dirAt(r.root, r.dir, false), r.name);
  } catch (error) {
    if ((error as { name?: string }).name !== 'NotFoundError') throw error;
    // A cached directory handle may name a folder removed and made again since: resolve it afresh once.
    forget(r.root, r.dir);
    await file.move(await dirAt(r.root, r.dir, false), r.name);
  }
}

/**
 * Writes what came with the request, then flush() (an fdatasync) before the move: after a power cut the file at its
 * final name has its bytes, not an empty or short file the next inventory would take for an edit (and Two-way carry to
 * the others). About 0.4 ms of a small file's 2 ms here; leaving it out moved a 2,000-file mirror by less than the
 * load's swings (bench/README.md, "Local mirror: OPFS"), so it stays. The size check and the move keep a partial file
 * from its final name while the machine runs.
 */
/** Lets go of the source file `id` copied in (a read-only handle is a lock on it). */
function closeSource(id: number): void {
  void sources.get(id)?.then((ranges) => ranges.close(), () => undefined);
  sources.delete(id);
}

function flushChecked(open: Open, r: { id: number; chunks: Uint8Array[]; size: number }): void {
  try {
    if (open.closed) throw Object.assign(new Error('bytes after the flush'), { name: 'InvalidStateError' });
    put(open, r.chunks);
    open.handle.flush();
    const size = open.handle.getSize();
    if (size !== open.written || size !== r.size) throw Object.assign(new Error(`${size} bytes staged, ${open.written} written, ${r.size} expected`), { name: 'InvalidStateError' });
  } finally {
    // Closed here, in the request that flushed: nothing of the staged file is left to do but its move.
    open.closed = true;
    closeSource(r.id);
    open.handle.close();
  }
}

/** flushChecked, then the closed file's size and time, kept for the commit (Open.stat). */
async function flushed(open: Open, r: { id: number; chunks: Uint8Array[]; size: number }): Promise<void> {
  flushChecked(open, r);
  const file = await open.file.getFile();
  open.stat = { size: file.size, mtime: file.lastModified };
}

async function handle(r: OpfsRequest): Promise<unknown> {
  switch (r.op) {
    case 'root':
      roots.set(r.root, r.handle);
      // Whether this browser has sync handles at all (OPFS-only, workers-only): the page falls back without them.
      return typeof FileSystemFileHandle !== 'undefined' && 'createSyncAccessHandle' in FileSystemFileHandle.prototype;
    case 'forget':
      forget(r.root, r.path);
      return null;
    case 'write': {
      put(await fileOf(r), r.chunks);
      // The batch's buffer goes back to the page's pool (adapters/browser/opfs-writer.ts).
      return r.chunks[0]?.buffer ?? null;
    }
    case 'copy':
      return copy(r);
    case 'flush':
      // Every file's flush, size check and close, with its last bytes, before the engine moves what stands at the
      // target to versions (FileWriter.flush): the commit then has the move left, not a flush with the target gone.
      await flushed(await fileOf(r), r);
      return null;
    case 'commit': {
      const open = await fileOf(r);
      files.delete(r.id);
      if (!open.closed || r.chunks.some((c) => c.byteLength > 0)) await flushed(open, r); // a writer never flushed (or bytes after it: refused)
      if (!open.stat) throw Object.assign(new Error('the staged file was not flushed'), { name: 'InvalidStateError' });
      await moveInto(r, open.file as SyncFileHandle);
      return open.stat;
    }
    case 'abort': {
      const open = files.get(r.id) ?? (await opening.get(r.id)?.catch(() => undefined));
      files.delete(r.id);
      closeSource(r.id);
      open?.handle.close();
      await (await dirAt(r.root, r.staging, true)).removeEntry(r.staged).catch(() => undefined);
      return null;
    }
  }
}

self.onmessage = (event: MessageEvent<OpfsRequest>) => {
  const r = event.data;
  handle(r).then(
    (value) => postMessage({ seq: r.seq, ok: true, value } satisfies OpfsReply, value instanceof ArrayBuffer ? [value] : []),
    (error: unknown) => {
      const e = error as { name?: string; message?: string };
      postMessage({ seq: r.seq, ok: false, error: { name: e?.name ?? 'Error', message: e?.message ?? String(error) } } satisfies OpfsReply);
    },
  );
};
