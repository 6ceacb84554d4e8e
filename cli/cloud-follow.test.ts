import { describe, expect, it } from 'vitest';
import { undoLines } from './cloud-follow.ts';

describe('a terminal member prints each member’s outcome of the leader’s undo', () => {
  it('counts per member, lists what was left alone and why, and says when a member was busy', () => {
    const lines = undoLines('B office', {
      type: 'undo-result', v: 1, order: 'u1',
      sources: [{ code: 'B1', restored: ['r.txt', 'd.txt'], removed: ['n.txt'], leftAlone: [{ path: 's.txt', reason: 'changed' }], more: 0 }],
    });
    expect(lines).toEqual(['B office: undo — 2 put back, 1 removed, 1 left alone', '  left alone B1 s.txt — changed']);
    expect(undoLines('C', { type: 'undo-result', v: 1, order: 'u1', busy: true, sources: [] })).toEqual(['C: undo refused, a run was under way there']);
  });
});
