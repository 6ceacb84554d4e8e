/** Maps File System Access DOMExceptions to FsError codes, so the engine and UI never see platform names. */
import { FsError, type FsErrorCode } from '../../core/errors.ts';

// Names from the WHATWG File System spec and Chromium's implementation (file_system_access_error.cc).
const byName: Record<string, FsErrorCode> = {
  NotFoundError: 'not-found',
  NotAllowedError: 'permission-denied',
  SecurityError: 'permission-denied',
  QuotaExceededError: 'no-space',
  TypeMismatchError: 'type-mismatch',
  InvalidModificationError: 'exists',
  // Reading a File snapshot after the file changed on disk throws NotReadableError.
  NotReadableError: 'changed',
  // AbortError is Chrome giving up an operation (its download protection blocking a file on close() or move()), never
  // the user's stop, which the engine carries as its own 'cancelled': taken for one, it ended the whole run as stopped,
  // the file unnamed and the rest not done.
  AbortError: 'io',
  // The file is held by another writer or reader (a sync access handle in another tab or worker): a failure of this
  // item, said as such by its message, never a full disk however the file is named.
  NoModificationAllowedError: 'io',
};

/** Turns anything an FSA call threw into an FsError for `path`. */
export function fsaError(error: unknown, path: string): FsError {
  if (error instanceof FsError) return error;
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? String(error);
  // Chromium rejects names the OS would refuse with a TypeError ("Name is not allowed").
  if (name === 'TypeError' && /name/i.test(message)) return new FsError('invalid-name', path, message, { cause: error });
  // A known name first: Chrome's messages quote the file's name, so a locked "quota.xlsx" would read as a full disk.
  const known = byName[name];
  if (known) return new FsError(known, path, message, { cause: error });
  // Disk-full surfaces as InvalidStateError or a QuotaExceeded message depending on the write path.
  if (/quota|no space|disk full/i.test(message)) return new FsError('no-space', path, message, { cause: error });
  return new FsError('io', path, message, { cause: error });
}

/** Runs an FSA call and rethrows its failure as an FsError. */
export async function guard<T>(path: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fsaError(error, path);
  }
}
