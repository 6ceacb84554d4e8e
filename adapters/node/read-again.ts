/**
 * The bytes of small files just read whole, kept for one more read of the same file in this process: `quintet local`
 * reads each source file to hash it (inventory), then again to copy it. The second read takes them from here after an
 * lstat shows the same file (inode, size, modification time) instead of open, fstat, read and close. What it gets is
 * what was hashed, so the copy's check of each block against the plan still holds. Only while a caller asks for it
 * (`keepReads`, for one local session), files up to AGAIN_FILE_BYTES, AGAIN_BYTES in all (past that nothing more is
 * kept: the copies, in about the inventory's order, find the first ones), each given out once.
 */
export const AGAIN_FILE_BYTES = 64 * 1024;
const AGAIN_BYTES = 32 * 1024 * 1024;

interface Kept {
  ino: number;
  size: number;
  mtime: number;
  bytes: Uint8Array;
}

const kept = new Map<string, Kept>();
let keptBytes = 0;
let keeping = false;

/** Starts (true) or ends (false: everything kept is let go) keeping small files' bytes for a second read. */
export function keepReads(on: boolean): void {
  keeping = on;
  if (on) return;
  kept.clear();
  keptBytes = 0;
}

/** Whether a local session keeps reads now. */
export function keepingReads(): boolean {
  return keeping;
}

/** After a read of the whole of a small file (`abs`), with the identity its read checked. */
export function keepForAgain(abs: string, entry: Kept): void {
  if (!keeping || entry.size > AGAIN_FILE_BYTES || entry.bytes.length !== entry.size || keptBytes + entry.size > AGAIN_BYTES) return;
  forget(abs);
  kept.set(abs, entry);
  keptBytes += entry.size;
}

/** The kept bytes of `abs` if they are of the file with this identity (the caller checks the file still has it); taken once. */
export function takeAgain(abs: string, was: { ino: number; size: number; mtime: number }): Uint8Array | null {
  if (keptBytes === 0) return null;
  const entry = kept.get(abs);
  if (!entry) return null;
  forget(abs);
  return entry.ino === was.ino && entry.size === was.size && entry.mtime === was.mtime ? entry.bytes : null;
}

function forget(abs: string): void {
  const entry = kept.get(abs);
  if (!entry) return;
  kept.delete(abs);
  keptBytes -= entry.size;
}
