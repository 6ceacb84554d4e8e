import { describe, expect, it } from 'vitest';
import { skippedOf, withoutTargets } from './skipped.ts';
import type { Plan } from './types.ts';
import { summarize } from './plan-common.ts';

describe('skipped items', () => {
  it('counts unreadable, refused names and refused permissions once per path, and nothing else', () => {
    const skipped = skippedOf([
      { path: 'a', reason: 'unreadable', detail: 'A1' },
      { path: 'a', reason: 'unreadable', detail: 'A1' },
      { path: 'b:c', reason: 'name-refused', detail: 'windows-character' },
      { path: 'd', reason: 'permission', detail: 'A2' },
      { path: 'e', reason: 'identical-content', detail: 'A2' },
      { path: '', reason: 'same-source', detail: 'A1' },
    ]);
    expect(skipped.map((s) => s.path)).toEqual(['a', 'b:c', 'd']);
  });

  it('drops every action on a refused target, each as a permission refusal, and recounts the summary', () => {
    const actions: Plan['actions'] = [
      { type: 'mkdir', target: 'A2', path: 'd' },
      { type: 'mkdir', target: 'A3', path: 'd' },
      { type: 'delete', target: 'A2', path: 'old', kind: 'file' },
    ];
    const plan: Plan = { actions, summary: summarize(actions), refusals: [] };
    const out = withoutTargets(plan, new Set(['A2']));
    expect(out.actions).toEqual([{ type: 'mkdir', target: 'A3', path: 'd' }]);
    expect(out.summary).toMatchObject({ directories: 1, deletions: 0 });
    expect(out.refusals).toEqual([{ path: 'd', reason: 'permission', detail: 'A2' }, { path: 'old', reason: 'permission', detail: 'A2' }]);
    expect(withoutTargets(plan, new Set())).toBe(plan);
  });
});
