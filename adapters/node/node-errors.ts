/** Maps Node errno codes to FsError codes, so the engine and the CLI never see platform names. */
import { FsError, type FsErrorCode } from '../../core/errors.ts';

// errno names from libuv (uv_err_name); anything else is 'io' with the platform's message kept.
const byErrno: Record<string, FsErrorCode> = {
  ENOENT: 'not-found',
  EACCES: 'permission-denied',
  EPERM: 'permission-denied',
  EROFS: 'permission-denied',
  ENOSPC: 'no-space',
  EDQUOT: 'no-space',
  EFBIG: 'no-space',
  ENAMETOOLONG: 'invalid-name',
  EILSEQ: 'invalid-name',
  EISDIR: 'type-mismatch',
  ENOTDIR: 'type-mismatch',
  EEXIST: 'exists',
  // open(O_NOFOLLOW) on a symbolic link.
  ELOOP: 'link',
  // Thrown by the hash worker when the file's identity moved between stat and read.
  QUINTET_CHANGED: 'changed',
};

/** Turns anything a node:fs call threw into an FsError for `path`. */
export function nodeError(error: unknown, path: string): FsError {
  if (error instanceof FsError) return error;
  const errno = (error as { code?: unknown })?.code;
  const message = (error as { message?: string })?.message ?? String(error);
  return new FsError((typeof errno === 'string' && byErrno[errno]) || 'io', path, message, { cause: error });
}

/** Runs a node:fs call and rethrows its failure as an FsError. */
export async function guard<T>(path: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw nodeError(error, path);
  }
}

/** The same for a synchronous node:fs call. */
export function guardSync<T>(path: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw nodeError(error, path);
  }
}
