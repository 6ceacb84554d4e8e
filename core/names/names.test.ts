import { describe, expect, it } from 'vitest';
import { caseCollisions, nameProblem, pathProblem } from './names.ts';
import { checkPlanNames } from './check-plan.ts';
import { compareInventories } from '../compare/compare.ts';
import { planMirror } from '../plan/mirror.ts';
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import type { BaseStates } from '../base/base-types.ts';
import { planTwoWayAt } from '../plan/two-way.ts';

const win = { caseInsensitive: true, windows: true };
const posix = { caseInsensitive: false, windows: false };

describe('nameProblem', () => {
  it.each([
    ['CON', 'windows-reserved'], ['con.txt', 'windows-reserved'], ['Lpt9.log', 'windows-reserved'], ['COM¹', 'windows-reserved'],
    ['console', null], ['a:b', 'windows-character'], ['what?', 'windows-character'], ['tab\tname', 'windows-character'],
    ['trailing.', 'trailing-dot-space'], ['trailing ', 'trailing-dot-space'], ['x'.repeat(256), 'name-too-long'], ['x'.repeat(255), null],
  ])('%s on Windows → %s', (name, problem) => {
    expect(nameProblem(name, win)).toBe(problem);
  });
  it('only length matters elsewhere', () => {
    expect(nameProblem('CON', posix)).toBeNull();
    expect(nameProblem('a:b', posix)).toBeNull();
    expect(nameProblem('x'.repeat(256), posix)).toBe('name-too-long');
  });
  it('flags over-long relative paths on Windows', () => {
    const long = `${'d/'.repeat(100)}f`;
    expect(pathProblem(long, win)).toBe('path-too-long');
    expect(pathProblem(long, posix)).toBeNull();
  });
});

describe('caseCollisions', () => {
  it('finds names differing only by case, among kept and created names', () => {
    expect([...caseCollisions(['docs/Read.md'], ['docs/READ.md', 'docs/other'])]).toEqual([['docs/READ.md', 'docs/Read.md']]);
    expect([...caseCollisions([], ['a', 'A'])].sort()).toEqual([['A', 'a'], ['a', 'A']]);
    expect(caseCollisions([], ['caf\u00e9', 'cafe\u0301']).size).toBe(0); // NFC and NFD are two names
  });
});

describe('checkPlanNames', () => {
  const f = (path: string, hash: string): InventoryItem => ({ kind: 'file', path, size: 1, mtime: 1, blockSize: 131072, blocks: [hash], hash });
  const d = (path: string): InventoryItem => ({ kind: 'directory', path });
  const inv = (source: string, items: InventoryItem[]): Inventory => ({
    source, rootKind: 'directory', rootName: source, items, errors: [],
    stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0,
  });
  const sources = ['A1', 'A2'].map((code) => ({ code, rootKind: 'directory' as const, name: code }));

  it('reports case twins, reserved names and what lies under a refused directory, before the run', () => {
    // A Linux source with README and readme, and an `aux` folder, mirrored onto a Windows-like target that already has Notes.
    const c = compareInventories([
      inv('A1', [f('README', '1'), f('readme', '2'), f('NOTES', 'n'), d('aux'), f('aux/x', 'x'), f('ok', 'o')]),
      inv('A2', [f('Notes', 'old')]),
    ]);
    const plan = planMirror(c, { from: 'A1', to: 'A2' }, sources);
    const checked = checkPlanNames(plan, c, () => win);
    expect(checked.actions.map((a) => (a.type === 'copy' ? a.targetPath : `${a.type} ${a.path}`))).toEqual(['delete Notes', 'NOTES', 'ok']);
    expect(checked.refusals).toEqual(expect.arrayContaining([
      { path: 'README', reason: 'name-refused', detail: 'case-collision' },
      { path: 'readme', reason: 'name-refused', detail: 'case-collision' },
      { path: 'aux', reason: 'name-refused', detail: 'windows-reserved' },
      { path: 'aux/x', reason: 'name-refused', detail: 'parent-refused' },
    ]));
    expect(checked.refusals).toHaveLength(4);
    expect(checked.summary.copies).toBe(2);
    expect(checkPlanNames(plan, c, () => posix)).toBe(plan);
  });

  it('keeps a two-way loser in place when the target refuses its conflict copy: nothing replaces its edit', () => {
    // Both sides edited `long…`; A1's is newer and wins. A2's conflict copy would need more than 255 characters.
    const name = `${'n'.repeat(240)}.txt`;
    const c = compareInventories([inv('A1', [{ ...f(name, 'a'), mtime: 2 } as InventoryItem, f('other', 'o')]), inv('A2', [f(name, 'b')])]);
    const base: BaseStates = { A1: new Map([[name, 'f:base']]), A2: new Map([[name, 'f:base']]) };
    const checked = checkPlanNames(planTwoWayAt(c, sources, base, 0), c, () => posix);
    expect(checked.actions.map((a) => `${a.type} ${a.target}:${a.type === 'copy' ? a.targetPath : a.path}`)).toEqual(['copy A2:other']);
    expect(checked.refusals).toEqual(expect.arrayContaining([{ path: name, reason: 'name-refused', detail: 'conflict-copy-refused' }]));
    expect(checked.conflicts).toEqual([]); // no conflict copy is made: the result names none
  });
});
