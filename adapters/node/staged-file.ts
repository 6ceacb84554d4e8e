/**
 * A FileWriter for Node: bytes go to a file in `.quintet/tmp/` and are renamed over the target on commit (one atomic
 * step on one file system), so a file never appears half-written. Files staged right now are listed in `stagedNow`,
 * so a process killed by a second Ctrl-C can still remove them synchronously on exit.
 */
import { open, rename, unlink, lstat, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FileWriter } from '../../core/ports.ts';
import { FsError } from '../../core/errors.ts';
import { guard, nodeError } from './node-errors.ts';

/** Quintet's working folder for half-written files, as in the browser (adapters/browser/staged-writer.ts). */
export const STAGING_DIR = '.quintet/tmp';

/** Absolute paths of the files being staged by this process. */
export const stagedNow = new Set<string>();

let counter = 0;

// Half a millisecond: utimes takes seconds as a double, and `x.123` seconds may land on x.122999… ms (keep-metadata.ts).
const seconds = (ms: number) => Math.floor(ms) / 1000 + 0.0005;

/** A name no other writer (of this process or another) uses. */
export function stagedName(): string {
  return `${Date.now().toString(36)}-${process.pid.toString(36)}-${(counter++).toString(36)}-${randomBytes(4).toString('hex')}.part`;
}

/** Opens a writer that stages into `stagingDir` and renames onto `target` (absolute) on commit. */
export async function openStagedFile(stagingDir: string, target: string, path: string): Promise<FileWriter> {
  const staged = join(stagingDir, stagedName());
  // Read and write: the copy reads each block back through this handle (readBackEquals) instead of reopening the file.
  const handle: FileHandle = await guard(path, () => open(staged, 'wx+'));
  stagedNow.add(staged);
  let state: 'open' | 'done' = 'open';
  let scratch = Buffer.alloc(0);
  const discard = async () => {
    state = 'done';
    await handle.close().catch(() => undefined);
    await unlink(staged).catch(() => undefined);
    stagedNow.delete(staged);
  };
  return {
    async write(chunk) {
      if (state !== 'open') throw new FsError('io', path, 'writer closed');
      try {
        for (let at = 0; at < chunk.length; ) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
      } catch (error) {
        throw nodeError(error, path);
      }
    },
    async readBackEquals(offset, bytes) {
      if (state !== 'open') throw new FsError('io', path, 'writer closed');
      // One scratch buffer per writer (its blocks are read back one after another), not one per block.
      if (scratch.length < bytes.length) scratch = Buffer.allocUnsafe(bytes.length);
      const back = scratch.subarray(0, bytes.length);
      try {
        let got = 0;
        while (got < back.length) {
          const { bytesRead } = await handle.read(back, got, back.length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === bytes.length && back.equals(bytes);
      } catch (error) {
        throw nodeError(error, path);
      }
    },
    async keep(meta) {
      if (state !== 'open') throw new FsError('io', path, 'writer closed');
      // Only rwx bits: never setuid, setgid or sticky from another member's say-so.
      const mode = meta.mode === undefined ? false : await handle.chmod(meta.mode & 0o777).then(() => true, () => false);
      const mtime = meta.mtime === undefined ? false : await handle.utimes(Date.now() / 1000, seconds(meta.mtime)).then(() => true, () => false);
      return { mtime, mode };
    },
    async stagedStat() {
      if (state !== 'open') throw new FsError('io', path, 'writer closed');
      const s = await guard(path, () => handle.stat());
      return { size: s.size, mtime: Math.floor(s.mtimeMs) }; // whole milliseconds, as node-dir-sink.ts mtimeOf
    },
    async commit() {
      if (state !== 'open') throw new FsError('io', path, 'writer closed');
      state = 'done';
      try {
        await handle.close();
        // rename() would replace an empty directory on Linux: a directory standing at the target is never replaced.
        const there = await lstat(target).catch(() => null);
        if (there?.isDirectory()) throw new FsError('type-mismatch', path, 'a directory stands at the target');
        await rename(staged, target);
        stagedNow.delete(staged);
      } catch (error) {
        await discard();
        throw nodeError(error, path);
      }
    },
    abort: discard,
  };
}
