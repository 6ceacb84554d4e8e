import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import type { ComparisonRow } from '../../../core/compare/types.ts';
import { formatBytes } from '../../../core/i18n/format.ts';
import { rowView, rowViews, type RowContext } from './grid-row-view.ts';

const MTIME = Date.UTC(2025, 2, 4, 14, 5);
const row: ComparisonRow = {
  path: 'd/a.txt',
  status: 'different',
  cells: { A1: { kind: 'file', group: 1, size: 1500, mtime: MTIME }, A2: { kind: 'file', group: 2, size: 12 }, A3: null },
};
const ctx = (over: Partial<RowContext> = {}): RowContext => ({
  sources: ['A1', 'A2', 'A3'],
  actions: new Map([['d/a.txt', [{ type: 'copy', from: 'A1', target: 'A2', path: 'd/a.txt', targetPath: 'd/a.txt', size: 1500 } as never]]]),
  conflictCopies: new Set(),
  conflicts: new Set(),
  skipped: new Map(),
  ...over,
});

describe('rowView', () => {
  it('gives each source its letter, size and date, the status and the action with its direction', () => {
    i18n.lang = 'en';
    const v = rowView(row, ctx());
    expect(v.select).toBe('Select d/a.txt');
    expect(v.cells[0]).toMatchObject({ kind: 'file', letter: 'a', named: 'Content a', tone: 'g0', size: '1.5 kB', iso: new Date(MTIME).toISOString() });
    expect((v.cells[0] as { date: string }).date).toMatch(/\b(2025|25)\b/);
    expect((v.cells[0] as { fullDate: string }).fullDate).toMatch(/2025/);
    expect((v.cells[0] as { date: string }).date.length).toBeLessThan((v.cells[0] as { fullDate: string }).fullDate.length);
    expect(v.cells[1]).toMatchObject({ kind: 'file', letter: 'b', tone: 'g1', size: '12 bytes', date: '', iso: '' });
    expect(v.cells[2]).toEqual({ kind: 'absent', text: 'absent' });
    expect([v.status, v.skipped, v.conflict, v.actions, v.duplicates]).toEqual(['Different content', '', '', 'A1 → A2', '']);
  });
  it('says a skip, a conflict and duplicates on the row, in French too', () => {
    i18n.lang = 'fr';
    const v = rowView({ ...row, duplicates: ['A1'] }, ctx({ skipped: new Map([['d/a.txt', 'Ignoré']]), conflicts: new Set(['d/a.txt']) }));
    expect(v.skipped).toBe('Ignoré');
    expect(v.conflict).not.toBe('');
    expect(v.duplicates).toMatch(/^ · .*A1/);
    expect(v.cells[0]).toMatchObject({ named: 'Contenu a', size: formatBytes('fr', 1500) }); // Intl's own spacing (a no-break space)
    i18n.lang = 'en';
  });
});

describe('rowViews', () => {
  it('makes a row\'s view once and gives it back while the context holds', () => {
    const view = rowViews(ctx());
    expect(view(row)).toBe(view(row));
    expect(rowViews(ctx())(row)).not.toBe(view(row));
  });
});
