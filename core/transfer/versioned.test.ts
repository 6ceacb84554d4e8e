import { describe, expect, it } from 'vitest';
import type { Action } from '../plan/types.ts';
import { versionedTargets } from './versioned.ts';

const copy = (target: string, replaces: 'file' | 'directory' | null): Action => ({ type: 'copy', from: 'A1', target, path: 'p', targetPath: 'p', size: 1, hash: 'h', blockSize: 1, blocks: [], replaces });

describe('versionedTargets', () => {
  it('is empty when the run only created items (no versions folder to name)', () => {
    expect(versionedTargets({ applied: [copy('A2', null), { type: 'mkdir', target: 'A2', path: 'd' } as Action] })).toEqual([]);
    expect(versionedTargets({})).toEqual([]);
  });

  it('lists each target where a copy replaced an item or an item was deleted, in code order', () => {
    const applied: Action[] = [copy('A10', 'file'), { type: 'delete', target: 'A3', path: 'x', kind: 'file' }, copy('A2', null), copy('A3', 'directory')];
    expect(versionedTargets({ applied })).toEqual(['A3', 'A10']);
  });
});
