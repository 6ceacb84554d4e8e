import { describe, expect, it } from 'vitest';
import { draftErrors, parseSize, ruleFromDraft, type ConditionDraft, type RuleDraft } from './rule-draft.ts';

const cond = (over: Partial<ConditionDraft>): ConditionDraft => ({ on: 'size', source: 'A1', op: 'gt', other: '', value: '', pattern: '*', ...over });
const draft = (conditions: ConditionDraft[], over: Partial<RuleDraft> = {}): RuleDraft => ({
  scope: 'files', mode: 'all', conditions, act: 'copy', from: 'A1', to: 'A2', onSource: 'A2', ...over,
});

describe('parseSize', () => {
  it.each([
    ['100000', 100_000],
    ['0', 0],
    ['100 kB', 100_000],
    ['1.5 MB', 1_500_000],
    ['1,5 Mo', 1_500_000],
    ['2 GiB', 2 * 2 ** 30],
    ['512kio', 512 * 1024],
    ['12 octets', 12],
    ['1 000 000', 1_000_000],
    ['1\u202f000 o', 1000],
    ['3 TB', 3e12],
  ])('%j is %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it.each(['', 'big', '-5', '10 XB', '1.5', '0.1 B', 'MB', '1e9', '99999999999 TB'])('%j is not a size', (text) => expect(parseSize(text)).toBeNull());
});

describe('a rule draft', () => {
  it('refuses empty sizes and dates instead of saving "Size < 0" or "Date < 1/1/1970"', () => {
    const errors = draftErrors(draft([cond({}), cond({ on: 'date', op: 'lt' }), cond({ value: '12 parsecs' }), cond({ on: 'date', value: 'soon' })]));
    expect([...errors]).toEqual([['condition-0', 'size-empty'], ['condition-1', 'date-empty'], ['condition-2', 'size-invalid'], ['condition-3', 'date-invalid']]);
    expect('errors' in ruleFromDraft(draft([cond({})]))).toBe(true);
  });

  it('needs no typed value when a condition compares with another source', () => {
    expect(draftErrors(draft([cond({ other: 'A2' }), cond({ on: 'date', other: 'A2' })])).size).toBe(0);
  });

  it('refuses an empty name pattern and a copy onto its own source', () => {
    expect([...draftErrors(draft([cond({ on: 'name', op: 'matches', pattern: '  ' })], { to: 'A1' }))]).toEqual([['condition-0', 'pattern-empty'], ['action', 'same-source']]);
    expect(draftErrors(draft([], { act: 'delete', from: 'A1', to: 'A1' })).size).toBe(0);
  });

  it('turns a valid draft into the rule, sizes in bytes and dates in epoch ms', () => {
    const out = ruleFromDraft(draft([cond({ value: '1,5 Mo' }), cond({ on: 'date', op: 'lt', value: '2026-01-02T03:04' }), cond({ on: 'name', op: 'matches', pattern: ' *.tmp ' })], { act: 'delete', onSource: 'A2' }));
    expect(out).toEqual({
      rule: {
        scope: 'files', mode: 'all', action: { do: 'delete', on: 'A2' },
        conditions: [
          { on: 'size', source: 'A1', op: 'gt', value: 1_500_000 },
          { on: 'date', source: 'A1', op: 'lt', value: Date.parse('2026-01-02T03:04') },
          { on: 'name', op: 'matches', pattern: '*.tmp' },
        ],
      },
    });
  });
});
