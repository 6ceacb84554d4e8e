import { describe, expect, it } from 'vitest';
import { compareInventories } from '../compare/compare.ts';
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import type { ComparisonRow } from '../compare/types.ts';
import { holds, ruleMatches, wildcard } from './conditions.ts';
import { planRules } from './rules.ts';
import type { Condition, Rule } from './rules-types.ts';

const f = (path: string, hash: string, size = 10, mtime = 100): InventoryItem => ({ kind: 'file', path, size, mtime, blockSize: 131072, blocks: [hash], hash });
const d = (path: string): InventoryItem => ({ kind: 'directory', path });
const inv = (source: string, items: InventoryItem[]): Inventory => ({
  source, rootKind: 'directory', rootName: source, items, errors: [],
  stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0,
});
const sources = ['A1', 'A2', 'A3'].map((code) => ({ code, rootKind: 'directory' as const, name: code }));
const compare = (a: InventoryItem[], b: InventoryItem[], c: InventoryItem[] = []) => compareInventories([inv('A1', a), inv('A2', b), inv('A3', c)]);
// One row: report.txt, 10 bytes at t=100 on A1; 20 bytes at t=200 with other content on A2; absent on A3. same.txt identical on A1/A2.
const c = compare([f('report.txt', 'h1', 10, 100), f('same.txt', 's')], [f('report.txt', 'h2', 20, 200), f('same.txt', 's')]);
const row = (path: string) => c.rows.find((r) => r.path === path) as ComparisonRow;

describe('conditions: every operator', () => {
  it.each<[string, Condition, boolean]>([
    ['content eq (differs)', { on: 'content', source: 'A1', op: 'eq', other: 'A2' }, false],
    ['content ne (differs)', { on: 'content', source: 'A1', op: 'ne', other: 'A2' }, true],
    ['content ne (one absent)', { on: 'content', source: 'A1', op: 'ne', other: 'A3' }, true],
    ['content eq (one absent)', { on: 'content', source: 'A1', op: 'eq', other: 'A3' }, false],
    ['size lt other', { on: 'size', source: 'A1', op: 'lt', other: 'A2' }, true],
    ['size le other', { on: 'size', source: 'A1', op: 'le', other: 'A2' }, true],
    ['size eq value', { on: 'size', source: 'A1', op: 'eq', value: 10 }, true],
    ['size ne value', { on: 'size', source: 'A1', op: 'ne', value: 10 }, false],
    ['size ge other', { on: 'size', source: 'A1', op: 'ge', other: 'A2' }, false],
    ['size gt value', { on: 'size', source: 'A2', op: 'gt', value: 10 }, true],
    ['size vs absent source', { on: 'size', source: 'A3', op: 'lt', value: 1e9 }, false],
    ['date lt other (older)', { on: 'date', source: 'A1', op: 'lt', other: 'A2' }, true],
    ['date gt other (newer)', { on: 'date', source: 'A2', op: 'gt', other: 'A1' }, true],
    ['date ge value', { on: 'date', source: 'A1', op: 'ge', value: 101 }, false],
    ['date eq value', { on: 'date', source: 'A2', op: 'eq', value: 200 }, true],
    ['date le value', { on: 'date', source: 'A1', op: 'le', value: 100 }, true],
    ['date ne other', { on: 'date', source: 'A1', op: 'ne', other: 'A2' }, true],
    ['presence exists', { on: 'presence', source: 'A1', op: 'exists' }, true],
    ['presence absent', { on: 'presence', source: 'A3', op: 'absent' }, true],
    ['presence exists (absent)', { on: 'presence', source: 'A3', op: 'exists' }, false],
    ['name matches *.txt', { on: 'name', op: 'matches', pattern: '*.txt' }, true],
    ['name matches rep?rt.*', { on: 'name', op: 'matches', pattern: 'rep?rt.*' }, true],
    ['name matches *.TXT (case-sensitive)', { on: 'name', op: 'matches', pattern: '*.TXT' }, false],
    ['name not-matches *.doc', { on: 'name', op: 'not-matches', pattern: '*.doc' }, true],
  ])('%s → %s', (_, condition, expected) => {
    expect(holds(condition, row('report.txt'))).toBe(expected);
  });

  it('wildcards are literal apart from * and ?', () => {
    expect(wildcard('a.b').test('axb')).toBe(false);
    expect(wildcard('(x)+[y]').test('(x)+[y]')).toBe(true);
    expect(wildcard('*.TXT', false).test('a.txt')).toBe(true);
  });

  it('all / any / scope', () => {
    const yes: Condition = { on: 'presence', source: 'A1', op: 'exists' };
    const no: Condition = { on: 'presence', source: 'A3', op: 'exists' };
    const rule = (mode: 'all' | 'any', scope: 'files' | 'directories' = 'files'): Rule => ({ scope, mode, conditions: [yes, no], action: { do: 'nothing' } });
    expect(ruleMatches(rule('all'), row('report.txt'))).toBe(false);
    expect(ruleMatches(rule('any'), row('report.txt'))).toBe(true);
    expect(ruleMatches(rule('any', 'directories'), row('report.txt'))).toBe(false);
  });
});

describe('planRules and the consistency check', () => {
  const copyNewer: Rule = { scope: 'files', mode: 'all', conditions: [{ on: 'date', source: 'A2', op: 'gt', other: 'A1' }], action: { do: 'copy', from: 'A2', to: 'A1' } };

  it('copies, copies content only, creates directories, deletes, and stops at "do nothing"', () => {
    const cc = compare([f('a', '1'), f('b', '1'), d('dir')], [f('a', '2', 10, 500), f('n', 'n')], [f('b', '1'), d('dir')]);
    const plan = planRules(cc, sources, {
      targeted: [],
      rules: [
        { scope: 'files', mode: 'all', conditions: [{ on: 'name', op: 'matches', pattern: 'b' }], action: { do: 'nothing' } },
        copyNewer,
        { scope: 'files', mode: 'all', conditions: [{ on: 'presence', source: 'A1', op: 'absent' }], action: { do: 'copy-content', from: 'A2', to: 'A3' } },
        { scope: 'directories', mode: 'all', conditions: [], action: { do: 'create-directory', on: 'A2' } },
        { scope: 'files', mode: 'all', conditions: [{ on: 'name', op: 'matches', pattern: 'b' }], action: { do: 'delete', on: 'A3' } },
      ],
    });
    expect(plan.actions.map((a) => `${a.type} ${a.type === 'copy' ? `${a.from}→` : ''}${a.target}:${a.path}`)).toEqual(['mkdir A2:dir', 'copy A2→A1:a']);
    expect(plan.refusals).toEqual([{ path: 'n', reason: 'kind-mismatch', detail: 'A3' }]);
  });

  it.each<[string, Rule['action'], string, string | undefined]>([
    ['copying identical content', { do: 'copy', from: 'A1', to: 'A2' }, 'identical-content', 'A2'],
    ['copying from a source lacking the item', { do: 'copy', from: 'A3', to: 'A1' }, 'nothing-to-copy', 'A3'],
    ['deleting what the target lacks', { do: 'delete', on: 'A3' }, 'nothing-to-delete', 'A3'],
    ['copying onto itself', { do: 'copy', from: 'A1', to: 'A1' }, 'same-source', 'A1'],
    ['an unknown source', { do: 'delete', on: 'B1' }, 'unknown-source', 'B1'],
    ['a directory where a file is', { do: 'create-directory', on: 'A1' }, 'kind-mismatch', 'A1'],
  ])('refuses %s', (_, action, reason, detail) => {
    const plan = planRules(c, sources, { rules: [], targeted: [{ paths: ['same.txt'], action: action as never }] });
    const fromRule = planRules(c, sources, { rules: [{ scope: 'files', mode: 'all', conditions: [{ on: 'name', op: 'matches', pattern: 'same.txt' }], action }], targeted: [] });
    for (const p of [plan, fromRule]) {
      expect(p.actions).toEqual([]);
      expect(p.refusals).toEqual([{ path: 'same.txt', reason, detail }]);
    }
  });

  it('refuses a target that is also the source of another action on the item', () => {
    const plan = planRules(c, sources, { rules: [], targeted: [{ paths: ['report.txt'], action: { do: 'copy', from: 'A1', to: 'A3' } }, { paths: ['report.txt'], action: { do: 'copy', from: 'A2', to: 'A1' } }] });
    expect(plan.refusals).toEqual([{ path: 'report.txt', reason: 'target-is-source', detail: 'A1' }]);
    expect(plan.actions).toHaveLength(1);
  });

  it('refuses contradictory actions on one target, keeps agreeing ones once', () => {
    const contra = planRules(c, sources, { rules: [], targeted: [{ paths: ['report.txt'], action: { do: 'copy', from: 'A1', to: 'A3' } }, { paths: ['report.txt'], action: { do: 'copy', from: 'A2', to: 'A3' } }] });
    expect(contra.refusals).toEqual([{ path: 'report.txt', reason: 'contradictory', detail: 'A3' }]);
    expect(contra.actions).toEqual([]);
    const same = planRules(c, sources, { rules: [copyNewer, copyNewer], targeted: [] });
    expect(same.actions).toHaveLength(1);
  });

  it('refuses a write inside a directory deleted on the same target; targeted actions replace rules', () => {
    const cc = compare([d('x'), f('x/y', '1')], [d('x')]);
    const plan = planRules(cc, sources, {
      rules: [
        { scope: 'directories', mode: 'all', conditions: [], action: { do: 'delete', on: 'A2' } },
        { scope: 'files', mode: 'all', conditions: [], action: { do: 'copy', from: 'A1', to: 'A2' } },
      ],
      targeted: [],
    });
    expect(plan.actions.map((a) => `${a.type} ${a.path}`)).toEqual(['delete x']);
    expect(plan.refusals).toEqual([{ path: 'x/y', reason: 'contradictory', detail: 'A2' }]);
    const targeted = planRules(cc, sources, { rules: [{ scope: 'files', mode: 'all', conditions: [], action: { do: 'copy', from: 'A1', to: 'A2' } }], targeted: [{ paths: ['x/y'], action: { do: 'copy', from: 'A1', to: 'A3' } }] });
    expect(targeted.actions.map((a) => `${a.type} ${a.target}:${a.path}`)).toEqual(['mkdir A3:x', 'copy A3:x/y']);
  });
});
