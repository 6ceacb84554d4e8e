/** Typed failures that cross the port boundary; the UI translates the code, never the message. */

/** Why a file operation failed, in words the engine and UI can act on. */
export type FsErrorCode =
  | 'not-found' // the file or directory vanished
  | 'permission-denied' // the user revoked access, or never granted it
  | 'no-space' // disk or quota full
  | 'invalid-name' // the platform refuses this name
  | 'type-mismatch' // a file where a directory was expected, or the reverse
  | 'exists' // the target already exists where it must not
  | 'changed' // the file changed since it was inventoried
  | 'corrupt' // bytes read back do not match their hash
  | 'cancelled' // the user stopped the run
  | 'link' // a symbolic link: never followed, reported as skipped (only Node sees them; a browser shows their target)
  | 'special' // a FIFO, socket or device: not data a sync can copy, reported as skipped (Node)
  | 'io'; // anything else the platform reported

/** A failure on one path. Adapters map platform errors (DOMException names, errno) to a code. */
export class FsError extends Error {
  override readonly name = 'FsError';
  constructor(
    readonly code: FsErrorCode,
    readonly path: string,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? `${code}: ${path}`, options);
  }
}

/** Turns anything thrown into an FsError, keeping the code when it already is one. */
export function toFsError(error: unknown, path: string): FsError {
  if (error instanceof FsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FsError('io', path, message, { cause: error });
}

/** Thrown when a CancelSignal is seen aborted. */
export function cancelled(path = ''): FsError {
  return new FsError('cancelled', path, 'cancelled');
}
