import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import type { ComparisonRow } from '../../../core/compare/types.ts';
import type { Plan } from '../../../core/plan/types.ts';
import { actionText, actionsByRow, groupLetter, rowStatusText } from './grid-text.ts';

const file = { kind: 'file' as const, group: 1, size: 3 };
const row = (cells: ComparisonRow['cells'], status: ComparisonRow['status']): ComparisonRow => ({ path: 'a.txt', cells, status });

describe('rowStatusText', () => {
  it('names the side: only on the source, only on the target', () => {
    i18n.lang = 'en';
    expect(rowStatusText(row({ A1: file, A2: null }, 'missing'), ['A1', 'A2'])).toBe('Only on A1');
    expect(rowStatusText(row({ A1: null, A2: file }, 'missing'), ['A1', 'A2'])).toBe('Only on A2');
  });
  it('with more sources says where it lacks when fewer lack it', () => {
    expect(rowStatusText(row({ A1: file, A2: file, A3: null }, 'missing'), ['A1', 'A2', 'A3'])).toBe('Missing on A3');
    expect(rowStatusText(row({ A1: file, A2: null, A3: null }, 'missing'), ['A1', 'A2', 'A3'])).toBe('Only on A1');
  });
  it('keeps the other statuses, in French too', () => {
    expect(rowStatusText(row({ A1: file, A2: file }, 'identical'), ['A1', 'A2'])).toBe('Identical');
    i18n.lang = 'fr';
    expect(rowStatusText(row({ A1: null, A2: file }, 'missing'), ['A1', 'A2'])).toBe('Seulement sur A2');
    i18n.lang = 'en';
  });
});

describe('actionText', () => {
  it('gives the direction of a copy and the side of a deletion', () => {
    i18n.lang = 'en';
    const copy = { type: 'copy' as const, from: 'A1', target: 'A2', path: 'a', targetPath: 'a', size: 1, hash: 'h', blockSize: 1, blocks: [], replaces: null };
    expect(actionText(copy, false)).toBe('A1 → A2');
    expect(actionText(copy, true)).toBe('keep as conflict copy on A2');
    expect(actionText({ type: 'delete', target: 'A2', path: 'a', kind: 'file' }, false)).toBe('delete on A2');
    expect(actionText({ type: 'mkdir', target: 'A2', path: 'd' }, false)).toBe('create directory on A2');
  });
});

describe('groupLetter', () => {
  it('letters groups a, b … z, aa', () => {
    expect([1, 2, 26, 27, 28].map(groupLetter)).toEqual(['a', 'b', 'z', 'aa', 'ab']);
  });
});

describe('actionsByRow', () => {
  it('shows a conflict copy on the row it comes from and marks that row', () => {
    const plan = {
      actions: [
        { type: 'copy', from: 'A2', target: 'A1', path: 'r.conflict-x.txt', targetPath: 'r.conflict-x.txt', size: 1, hash: 'h', blockSize: 1, blocks: [], replaces: null, conflict: true },
        { type: 'delete', target: 'A2', path: 'old.txt', kind: 'file' },
      ],
      summary: { copies: 1, overwrites: 0, directories: 0, deletions: 1, bytes: 1 },
      refusals: [],
      conflicts: [{ path: 'r.txt', winner: 'A1', losers: [{ source: 'A2', path: 'r.conflict-x.txt' }] }],
    } as Plan;
    const { actions, conflictCopies, conflicts } = actionsByRow(plan);
    expect(actions.get('r.txt')?.map((a) => a.type)).toEqual(['copy']);
    expect(actions.get('old.txt')?.map((a) => a.type)).toEqual(['delete']);
    expect(conflictCopies.has('r.conflict-x.txt')).toBe(true);
    expect(conflicts.has('r.txt')).toBe(true);
  });
});
