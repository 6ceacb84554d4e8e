import { describe, expect, it } from 'vitest';
import type { RunRecord } from './run-record.ts';
import { CSV_COLUMNS, csvField, runsToCsv, runsToJson } from './run-export.ts';

const run = (over: Partial<RunRecord> = {}): RunRecord => ({
  id: '2026-11-29T02-00-00Z-3f9a', profile: 'Photos', kind: 'local', start: '2026-11-29T02:00:00.000Z', end: '2026-11-29T02:00:01.500Z', durationMs: 1500,
  status: 'partial', present: [], missing: [], counts: { planned: 4, done: 3, failed: 1, skipped: 0, byAction: { copy: 2, mkdir: 1, delete: 1 } }, perMember: [], bytes: 6,
  errors: [{ source: 'A2', path: 'b.txt', reason: 'not-found: vanished' }], ...over,
});

describe('runsToJson', () => {
  it('is an array of the records, read back equal', () => {
    const records = [run(), run({ id: 'other', status: 'ok', errors: [] })];
    expect(JSON.parse(runsToJson(records))).toEqual(records);
    expect(JSON.parse(runsToJson([]))).toEqual([]);
  });
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(12)).toBe('12');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField(-1)).toBe('-1');
  });
});

describe('runsToCsv', () => {
  it('has a header and one row per run, with counts per action kind and the first error', () => {
    const csv = runsToCsv([run(), run({ id: 'b', profile: 'Branch, north', kind: 'cloud', status: 'ok', present: ['nas', 'office'], missing: ['laptop'], errors: [], message: 'no result from laptop' })]);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines[1]).toBe('2026-11-29T02-00-00Z-3f9a,Photos,local,2026-11-29T02:00:00.000Z,2026-11-29T02:00:01.500Z,1500,partial,4,3,1,0,2,1,1,6,,,1,A2/b.txt: not-found: vanished,');
    expect(lines[2]).toBe('b,"Branch, north",cloud,2026-11-29T02:00:00.000Z,2026-11-29T02:00:01.500Z,1500,ok,4,3,1,0,2,1,1,6,nas; office,laptop,0,,no result from laptop');
  });

  it('keeps a path holding a line break inside one quoted field', () => {
    const csv = runsToCsv([run({ errors: [{ path: 'a\nb.txt', reason: 'io: x' }] })]);
    expect(csv).toContain('"a\nb.txt: io: x"');
  });
});
