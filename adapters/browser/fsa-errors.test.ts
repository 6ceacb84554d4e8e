import { describe, expect, it } from 'vitest';
import { fsaError } from './fsa-errors.ts';

describe('File System Access errors as FsError codes', () => {
  it('goes by the error’s name first: a file whose name says "quota" is not a full disk', () => {
    const locked = new DOMException("Failed to execute 'move' on 'FileSystemHandle': quota.xlsx is locked", 'NoModificationAllowedError');
    expect(fsaError(locked, 'quota.xlsx').code).toBe('io');
    const gone = new DOMException('A requested file or directory could not be found: no space left.txt', 'NotFoundError');
    expect(fsaError(gone, 'no space left.txt').code).toBe('not-found');
  });

  it('reads a full disk from the name or, for an unnamed state error, from the message', () => {
    expect(fsaError(new DOMException('x', 'QuotaExceededError'), 'a').code).toBe('no-space');
    expect(fsaError(new DOMException('The operation failed: quota exceeded', 'InvalidStateError'), 'a').code).toBe('no-space');
    expect(fsaError(new DOMException('other', 'InvalidStateError'), 'a').code).toBe('io');
  });

  it('says a name the system refuses, and a file changed under its snapshot', () => {
    expect(fsaError(new TypeError('Name is not allowed.'), 'a:b').code).toBe('invalid-name');
    expect(fsaError(new DOMException('changed', 'NotReadableError'), 'a').code).toBe('changed');
  });
});
