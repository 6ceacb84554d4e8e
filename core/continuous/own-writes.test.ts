import { describe, expect, it } from 'vitest';
import type { FileStat } from '../ports.ts';
import type { Action } from '../plan/types.ts';
import { ECHO_MS, OwnWrites, type StatOf } from './own-writes.ts';

const copy = (target: string, path: string, size = 1): Action => ({ type: 'copy', from: 'A1', target, path, targetPath: path, size, hash: 'h', blockSize: 1, blocks: [], replaces: null });

/** A folder per own source, path → stat; what `statOf` reads. */
function folders(init: Record<string, FileStat>[]): { files: Map<string, FileStat>[]; statOf: StatOf } {
  const files = init.map((f) => new Map(Object.entries(f)));
  return { files, statOf: async (i, path) => files[i]?.get(path) ?? null };
}

describe('OwnWrites: a member tells its own writes from its user’s', () => {
  it('the paths its share writes (and the folders above, and under what it deletes) are echoes until ECHO_MS after it ends', async () => {
    const own = new OwnWrites();
    own.start([copy('B1', 'docs/new.txt'), copy('C1', 'other.txt'), { type: 'delete', target: 'B2', path: 'old', kind: 'directory' }, null], 'B');
    expect(own.verdict(0, 'docs/new.txt', 0)).toBe('echo');
    expect(own.verdict(0, 'docs', 0)).toBe('echo');
    expect(own.verdict(1, 'old/inner/x.txt', 0)).toBe('echo');
    expect(own.verdict(0, 'docs/another.txt', 0)).toBe('user');
    expect(own.verdict(0, 'other.txt', 0)).toBe('user'); // C's action, not this member's
    expect(await own.end(1000)).toEqual([]);
    expect(own.verdict(0, 'docs/new.txt', 1000 + ECHO_MS)).toBe('echo');
    expect(own.verdict(0, 'docs/new.txt', 1001 + ECHO_MS)).toBe('user');
  });

  it('at its end the share reads what it left: a file of another size, or a deleted path back, is the user’s edit made meanwhile', async () => {
    const { statOf } = folders([{ 'a.txt': { size: 5, mtime: 10 }, 'b.txt': { size: 9, mtime: 11 }, 'gone.txt': { size: 1, mtime: 1 } }]);
    const own = new OwnWrites();
    own.start([copy('B1', 'a.txt', 5), copy('B1', 'b.txt', 4), { type: 'delete', target: 'B1', path: 'gone.txt', kind: 'file' }, copy('B1', 'c.txt', 2)], 'B');
    // b.txt was written with 4 bytes and holds 9; gone.txt was deleted and is back; c.txt was written and is missing.
    expect((await own.end(0, statOf)).sort()).toEqual([[0, 'b.txt'], [0, 'c.txt'], [0, 'gone.txt']]);
    expect(await own.end(5, statOf)).toEqual([]); // once per share
  });

  it('a late event on a written path is its echo while the file holds what the share left, an edit once it does not', async () => {
    const { files, statOf } = folders([{ 'a.txt': { size: 5, mtime: 10 } }]);
    const own = new OwnWrites();
    own.start([copy('B1', 'a.txt', 5), { type: 'delete', target: 'B1', path: 'old.txt', kind: 'file' }], 'B');
    await own.end(0, statOf);
    expect(own.verdict(0, 'a.txt', 100)).toBe('check');
    expect(await own.stillLeft(0, 'a.txt', statOf)).toBe(true);
    files[0]!.set('a.txt', { size: 5, mtime: 11 }); // the user saved it again, same size, later time
    expect(await own.stillLeft(0, 'a.txt', statOf)).toBe(false);
    expect(await own.stillLeft(0, 'old.txt', statOf)).toBe(true);
    files[0]!.set('old.txt', { size: 3, mtime: 12 }); // the user put it back
    expect(await own.stillLeft(0, 'old.txt', statOf)).toBe(false);
    expect(own.verdict(0, 'a.txt', 1 + ECHO_MS)).toBe('user'); // past the window: every event is the user's
  });
});
