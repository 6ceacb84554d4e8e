import { describe, expect, it } from 'vitest';
import { filterRows, parseFilter } from './filter.ts';
import type { ComparisonRow } from './types.ts';

const row = (path: string, status: ComparisonRow['status'], on: string[]): ComparisonRow => ({
  path, status, cells: Object.fromEntries(['A1', 'A2'].map((c) => [c, on.includes(c) ? { kind: 'file' as const } : null])),
});
const rows = [row('docs/Report.txt', 'different', ['A1', 'A2']), row('docs/only1.txt', 'missing', ['A1']), row('img/only2.png', 'missing', ['A2'])];
const paths = (text: string, acts: string[] = []) => filterRows(rows, parseFilter(text), new Set(acts)).map((r) => r.path);

describe('comparison filter', () => {
  it.each([
    ['', ['docs/Report.txt', 'docs/only1.txt', 'img/only2.png']],
    ['report', ['docs/Report.txt']],
    ['docs txt', ['docs/Report.txt', 'docs/only1.txt']],
    ['status:missing', ['docs/only1.txt', 'img/only2.png']],
    ['status:missing status:different', ['docs/Report.txt', 'docs/only1.txt', 'img/only2.png']],
    ['only:A1', ['docs/only1.txt']],
    ['only:a2', ['img/only2.png']],
    ['status:missing docs', ['docs/only1.txt']],
    ['weird:token', []],
  ])('%j → %j', (text, expected) => {
    expect(paths(text)).toEqual(expected);
  });
  it('keeps the folder tree\'s choice: the folder and what is under it, with the box\'s words', () => {
    const rows = ['docs', 'docs/only1.txt', 'docs2/x.txt', 'img/only2.png'].map((p) => row(p, 'identical', ['A1']));
    expect(filterRows(rows, { ...parseFilter(''), under: 'docs' }).map((r) => r.path)).toEqual(['docs', 'docs/only1.txt']);
    expect(filterRows(rows, { ...parseFilter('only1'), under: 'docs' }).map((r) => r.path)).toEqual(['docs/only1.txt']);
  });
  it('has:actions keeps rows the plan acts on', () => {
    expect(paths('has:actions', ['img/only2.png'])).toEqual(['img/only2.png']);
  });
  // Speed at this size is measured by bench/engine (npm run bench:engine), never asserted in a test.
  it('filters 100k rows by status and path together', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => row(`d${i % 100}/f${i}.txt`, i % 3 === 0 ? 'missing' : 'identical', ['A1']));
    expect(filterRows(many, parseFilter('status:missing d7/')).length).toBe(333);
  });
});
