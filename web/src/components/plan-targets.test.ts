import { describe, expect, it } from 'vitest';
import type { Action, Plan } from '../../../core/plan/types.ts';
import { changesByTarget } from './plan-targets.ts';

const copy = (target: string, path: string, size: number, replaces: 'file' | null = null): Action => ({ type: 'copy', from: 'A1', target, path, targetPath: path, size, hash: 'h', blockSize: 1, blocks: [], replaces });
const del = (target: string, path: string): Action => ({ type: 'delete', target, path, kind: 'file' });
const plan = (actions: Action[]): Plan => ({ actions, summary: { copies: 0, overwrites: 0, directories: 0, deletions: 0, bytes: 0 }, refusals: [] });

describe('changesByTarget', () => {
  it('counts each folder’s copies, bytes, replacements, directories and deletions, in source order', () => {
    const changes = changesByTarget(plan([copy('A3', 'x', 5), copy('A2', 'a', 10, 'file'), copy('A2', 'b', 3), { type: 'mkdir', target: 'A2', path: 'd' }, del('A2', 'old')]), ['A1', 'A2', 'A3']);
    expect(changes.map((c) => c.target)).toEqual(['A2', 'A3']);
    expect(changes[0]).toEqual({ target: 'A2', copies: 2, overwrites: 1, bytes: 13, directories: 1, deletions: 1, deleted: ['old'] });
  });

  it('lists the first ten deletions and counts the rest', () => {
    const [c] = changesByTarget(plan(Array.from({ length: 13 }, (_, i) => del('A2', `f${i}`))));
    expect(c?.deleted).toEqual(Array.from({ length: 10 }, (_, i) => `f${i}`));
    expect(c?.deletions).toBe(13);
  });
});
