import { describe, expect, it } from 'vitest';
import type { Action } from '../plan/types.ts';
import { ECHO_MS, OwnWrites } from './own-writes.ts';

const copy = (target: string, path: string): Action => ({ type: 'copy', from: 'A1', target, path, targetPath: path, size: 1, hash: 'h', blockSize: 1, blocks: [], replaces: null });

describe('OwnWrites: a member tells its own writes from its user’s', () => {
  it('the paths its share writes (and the folders above, and under what it deletes) are echoes until ECHO_MS after it ends', () => {
    const own = new OwnWrites();
    own.start([copy('B1', 'docs/new.txt'), copy('C1', 'other.txt'), { type: 'delete', target: 'B2', path: 'old', kind: 'directory' }, null], 'B');
    expect(own.isEcho(0, 'docs/new.txt', 0)).toBe(true);
    expect(own.isEcho(0, 'docs', 0)).toBe(true);
    expect(own.isEcho(1, 'old/inner/x.txt', 0)).toBe(true);
    expect(own.isEcho(0, 'docs/another.txt', 0)).toBe(false); // the user's
    expect(own.isEcho(0, 'other.txt', 0)).toBe(false); // C's action, not this member's
    own.end(1000);
    expect(own.isEcho(0, 'docs/new.txt', 1000 + ECHO_MS)).toBe(true);
    expect(own.isEcho(0, 'docs/new.txt', 1001 + ECHO_MS)).toBe(false);
  });
});
