/** One verified copy: blocks checked before writing (or before the commit, when the writer reads the source itself), committed only whole, read back after (or vouched for by the writer); versions kept first. */
import type { CancelSignal, DirSink, EntryKind, FileStat, FileWriter, Hasher, OpenFile } from '../ports.ts';
import { FsError, cancelled, toFsError } from '../errors.ts';
import type { CopyAction } from '../plan/types.ts';
import type { WrittenFile } from './types.ts';
import type { BlockProvider } from './block-provider.ts';
import { blockCount, fileHashOf } from '../inventory/blocks.ts';
import { KeptPartly, keepBeforeReplace, kindAt, type Kept } from './versions.ts';
import { partsLength, Scratch } from '../crypto/parts.ts';
import { checkUnchanged, type Seen } from './target-check.ts';

/** Where a block that came in pieces is joined to be hashed: one buffer for every copy (the join and the digest call run without a break). */
const joined = new Scratch();

export interface CopyContext {
  sink: DirSink;
  provider: BlockProvider;
  hasher: Hasher;
  runId: string;
  signal?: CancelSignal;
  /** What the targets held at the inventory: an item changed there since is not replaced (target-check.ts). */
  seen?: Seen;
  /** Called after each block is written, with its length. */
  onBytes: (bytes: number) => void;
  /** A failed copy's kept version that could not go back (something stands at the path since): the run records it. */
  onKeptAside?: (kept: { path: string; kind: EntryKind }) => void;
}

/**
 * Copies one file. Order: open the blocks (fails early, target untouched), write every block
 * to the sink's writer after checking its SHA-256 (writers stage the bytes out of sight; a writer that reads the local
 * source itself answers each block's SHA-256, checked before the commit: copyDirect), then
 * keep whatever stands at the target path under versions, commit, re-read and verify (unless the writer vouches for
 * its bytes: FileWriter.commit). Keeping
 * the version only once the new bytes are complete leaves the target path empty for the time
 * of two moves at most (never, where the sink links: keepBeforeReplace), not for the whole write, and a run stopped
 * mid-write leaves the target as it was.
 * Any failure aborts the writer and puts the kept version back. Returns the written file's index entry.
 */
export async function copyFile(action: CopyAction, ctx: CopyContext): Promise<WrittenFile> {
  const { sink, hasher, signal } = ctx;
  const count = blockCount(action.size, action.blockSize);
  if (action.size > 0 && (!(action.blockSize > 0) || action.blocks.length !== count)) {
    throw new FsError('io', action.path, 'plan without blocks');
  }
  // Each block is checked against the list, so the list must be the content's: a peer's inventory could pair its own
  // blocks with another file's hash, and a writer that vouches for its bytes records the file under that hash.
  if ((await fileHashOf(action.blocks, hasher)) !== action.hash) throw new FsError('corrupt', action.path, 'file hash is not its blocks’ hash');
  const reader = await ctx.provider.open(action);
  if (signal?.aborted) throw cancelled(action.targetPath);
  const writer = await sink.createWriter(action.targetPath);
  let kept: Kept | null = null;
  let existing: EntryKind | null = null;
  let committed = false;
  /**
   * The file as committed, as the read-back first saw it: only that is taken back on a failure. 'vouched': the writer's
   * own word on what it committed was found wrong at once (trusted), with no read-back in between to wait for.
   */
  let placed: { size: number; mtime: number } | 'vouched' | null = null;
  try {
    const direct = reader.file !== undefined && (await copyDirect(action, reader.file, writer, ctx));
    for (let i = 0; i < count && !direct; i++) {
      if (signal?.aborted) throw cancelled(action.targetPath);
      const parts = await reader.block(i);
      // A block in pieces is joined for its hash only, in a buffer reused from block to block (Hasher.digest reads it at the call).
      if ((await hasher.digest(joined.join(parts))) !== action.blocks[i]) throw new FsError('changed', action.path, `block ${i} hash`);
      for (const part of parts instanceof Uint8Array ? [parts] : parts) await writer.write(part);
      ctx.onBytes(partsLength(parts));
    }
    // Where the platform can (Node), the file takes its source's time and mode before the move: it appears with them.
    const want = { ...(action.mtime !== undefined ? { mtime: action.mtime } : {}), ...(action.mode !== undefined ? { mode: action.mode } : {}) };
    const meta = writer.keep && Object.keys(want).length > 0 ? await writer.keep(want) : undefined;
    // The staged file's flush to the disk (Node) before the look at the target, not between the look and the move: an
    // edit saved there meanwhile would be replaced unseen, not even kept as a version.
    if (writer.flush) await writer.flush();
    // Look rather than trust the plan: something may stand there that the inventory could not read.
    existing = await kindAt(sink, action.targetPath);
    if (ctx.seen) await checkUnchanged(sink, action.target, action.targetPath, existing, ctx.seen);
    if (existing) kept = await keepBeforeReplace(sink, ctx.runId, action.targetPath, existing);
    const vouched = await writer.commit();
    committed = true;
    if (vouched) placed = 'vouched';
    const file = { ...(vouched ? trusted(action, vouched) : await verify(action, ctx, (s) => (placed = s))), ...(meta ? { meta } : {}) };
    return existing && kept ? { ...file, replaced: { kind: existing, kept: kept.path } } : file;
  } catch (error) {
    if (!committed) await writer.abort().catch(() => undefined);
    // A file saved at the path since the commit (the user opened what just arrived, during the read-back) stays; the
    // version then stays kept too (restore finds the path taken).
    else if (placed === 'vouched' || (placed && (await isPlaced(sink, action.targetPath, placed)))) await sink.remove(action.targetPath, { recursive: false }).catch(() => undefined);
    if (kept) await kept.restore(committed).catch(() => undefined); // if even that fails, the version stays under versions: nothing lost
    if (error instanceof KeptPartly) ctx.onKeptAside?.({ path: error.kept, kind: error.kind }); // a folder part-moved aside
    // Still kept (a save stands at the path since): the run's manifest names it, else no list would show it (a run
    // that changed anything else there has a manifest, and only what manifests name is listed and restorable).
    if (kept && existing && (await kindAt(sink, kept.path).catch(() => null)) !== null) {
      ctx.onKeptAside?.({ path: kept.path, kind: existing });
      const e = toFsError(error, action.targetPath);
      throw new FsError(e.code, e.path, `${e.message}; what stood there is kept in ${kept.path}`, { cause: error });
    }
    throw error;
  }
}

/**
 * Bytes a writer reads itself per request (FileWriter.copyFrom), and requests in flight per file: the next range is read
 * while the one before is hashed and written.
 */
const RANGE = 8 * 1024 * 1024;
const RANGES_AHEAD = 2;

/**
 * Copies through FileWriter.copyFrom when the writer reads the source file itself (the browser's OPFS writer, in its
 * worker: the page's main thread then reads, hashes and copies nothing). Ranges of whole blocks, a few in flight; each
 * range's block hashes are checked against the plan as it comes back, so a file changed since the inventory fails the
 * copy before its commit, as in the block loop. Returns false, having written nothing, when the writer cannot.
 */
async function copyDirect(action: CopyAction, file: OpenFile, writer: FileWriter, ctx: CopyContext): Promise<boolean> {
  const copyFrom = writer.copyFrom?.bind(writer);
  if (!copyFrom || action.size === 0) return false;
  const { blockSize } = action;
  const step = Math.max(blockSize, Math.floor(RANGE / blockSize) * blockSize);
  const ranges: Array<{ start: number; end: number; hashes: Promise<string[]> }> = [];
  let next = 0;
  const send = (): boolean => {
    const start = next;
    const end = Math.min(action.size, start + step);
    const hashes = copyFrom(file, start, end, blockSize);
    if (!hashes) {
      if (start === 0) return false;
      throw new FsError('io', action.path, 'the writer stopped reading the file');
    }
    hashes.catch(() => undefined); // awaited in order below: one failing while an earlier one is awaited is not unhandled
    ranges.push({ start, end, hashes });
    next = end;
    return true;
  };
  if (!send()) return false;
  try {
    while (ranges.length > 0) {
      while (next < action.size && ranges.length < RANGES_AHEAD) send();
      const range = ranges.shift()!;
      const got = await range.hashes;
      const first = range.start / blockSize;
      if (got.length !== Math.ceil((range.end - range.start) / blockSize)) throw new FsError('changed', action.path, `${got.length} block hashes for bytes ${range.start}–${range.end}`);
      got.forEach((hash, k) => {
        if (hash !== action.blocks[first + k]) throw new FsError('changed', action.path, `block ${first + k} hash`);
      });
      ctx.onBytes(range.end - range.start);
      if (ctx.signal?.aborted) throw cancelled(action.targetPath);
    }
  } finally {
    // Nothing of this file is still being written when the caller aborts the writer.
    await Promise.allSettled(ranges.map((r) => r.hashes));
  }
  return true;
}

/** A file the writer vouches for (FileWriter.commit): its size must be the plan's; its blocks are those checked before writing. */
function trusted(action: CopyAction, committed: FileStat): WrittenFile {
  if (committed.size !== action.size) throw new FsError('corrupt', action.targetPath, `${committed.size} bytes committed of ${action.size}`);
  return { target: action.target, path: action.targetPath, size: committed.size, mtime: committed.mtime, blockSize: action.blockSize, blocks: [...action.blocks], hash: action.hash };
}

/** Whether the file at `path` still has the size and time it was committed with. */
async function isPlaced(sink: DirSink, path: string, placed: { size: number; mtime: number }): Promise<boolean> {
  const now = await sink.stat(path).catch(() => null);
  return now !== null && now.size === placed.size && now.mtime === placed.mtime;
}

/** Reads the committed file back and checks it block by block ("every written file verified"); `opened`: its size and time. */
async function verify(action: CopyAction, ctx: CopyContext, opened: (s: { size: number; mtime: number }) => void): Promise<WrittenFile> {
  const file = await ctx.sink.open(action.targetPath);
  opened({ size: file.size, mtime: file.mtime });
  const blocks = file.size === 0 ? [] : await ctx.hasher.hashBlocks(file, action.blockSize);
  const same = file.size === action.size && blocks.length === action.blocks.length && blocks.every((b, i) => b === action.blocks[i]);
  if (!same || (await fileHashOf(blocks, ctx.hasher)) !== action.hash) throw new FsError('corrupt', action.targetPath);
  return { target: action.target, path: action.targetPath, size: file.size, mtime: file.mtime, blockSize: action.blockSize, blocks, hash: action.hash };
}
