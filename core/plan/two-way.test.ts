import { describe, expect, it } from 'vitest';
import { compareInventories } from '../compare/compare.ts';
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import { planTwoWayAt } from './two-way.ts';
import { conflictPath } from './conflict-name.ts';
import type { BaseStates, ItemState } from '../base/base-types.ts';

const f = (path: string, hash: string, mtime = 1): InventoryItem => ({ kind: 'file', path, size: 1, mtime, blockSize: 131072, blocks: [hash], hash });
const d = (path: string): InventoryItem => ({ kind: 'directory', path });
const inv = (source: string, items: InventoryItem[]): Inventory => ({
  source, rootKind: 'directory', rootName: source, items, errors: [],
  stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0,
});
const sources = ['A1', 'A2'].map((code) => ({ code, rootKind: 'directory' as const, name: code }));
const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const base = (entries: Record<string, ItemState>): BaseStates => ({ A1: new Map(Object.entries(entries)), A2: new Map(Object.entries(entries)) });
const plan = (a: InventoryItem[], b: InventoryItem[], bs: BaseStates | null) => planTwoWayAt(compareInventories([inv('A1', a), inv('A2', b)]), sources, bs, NOW);
const brief = (p: ReturnType<typeof plan>) => p.actions.map((x) => (x.type === 'copy' ? `copy ${x.from}:${x.path}→${x.target}:${x.targetPath}` : `${x.type} ${x.target}:${x.path}`));
/** Swaps the two sides: every rule is checked both ways (a wins b, and !b wins a). */
const swap = (s: string) => s.replace(/A1|A2/g, (m) => (m === 'A1' ? 'A2' : 'A1'));

describe('planTwoWayAt rules, in both directions', () => {
  it.each([
    ['A1', 'A2'],
    ['A2', 'A1'],
  ] as const)('a deletion on %s propagates to %s (kept in versions there)', (deleter, keeper) => {
    const items = [f('x', 'h')];
    const p = deleter === 'A1' ? plan([], items, base({ x: 'f:h' })) : plan(items, [], base({ x: 'f:h' }));
    expect(brief(p)).toEqual([`delete ${keeper}:x`]);
  });

  it.each([[true], [false]])('a creation is never undone (swapped: %s), with or without a base', (swapped) => {
    const [a, b] = swapped ? [[], [f('new', 'n')]] : [[f('new', 'n')], []];
    for (const bs of [null, base({})]) {
      const expected = ['copy A1:new→A2:new'];
      expect(brief(plan(a, b, bs))).toEqual(swapped ? expected.map(swap) : expected);
    }
  });

  it.each([[false], [true]])('an edit beats a deletion (swapped: %s)', (swapped) => {
    const [a, b] = swapped ? [[], [f('x', 'edited')]] : [[f('x', 'edited')], []];
    const expected = ['copy A1:x→A2:x'];
    expect(brief(plan(a, b, base({ x: 'f:old' })))).toEqual(swapped ? expected.map(swap) : expected);
  });

  it.each([
    ['A1 newer wins', 5, 3, 'A1'],
    ['A2 newer wins', 3, 5, 'A2'],
    ['tie: leftmost (A1) wins', 4, 4, 'A1'],
  ] as const)('an item changed on both sides is a conflict: %s', (_, m1, m2, winner) => {
    const p = plan([f('r.txt', 'one', m1)], [f('r.txt', 'two', m2)], base({ 'r.txt': 'f:orig' }));
    const loser = winner === 'A1' ? 'A2' : 'A1';
    const copy = `r.conflict-${loser}-${conflictPath('x', 'A', NOW).slice('x.conflict-A-'.length)}.txt`;
    expect(p.conflicts).toEqual([{ path: 'r.txt', winner, losers: [{ source: loser, path: copy }] }]);
    expect(brief(p).sort()).toEqual([
      `copy ${loser}:r.txt→${loser}:${copy}`, // the loser's own copy, read before its original is replaced
      `copy ${loser}:${copy}→${winner}:${copy}`,
      `copy ${winner}:r.txt→${loser}:r.txt`,
    ].sort());
    expect(p.actions.find((a) => a.type === 'copy' && a.from === a.target)).toMatchObject({ conflict: true });
  });

  it.each([[false], [true]])('without a base, differing contents are a conflict and nothing is deleted (swapped: %s)', (swapped) => {
    const [a, b] = [[f('x', 'one', 2), f('only', 'o')], [f('x', 'two', 1)]];
    const p = swapped ? plan(b, a, null) : plan(a, b, null);
    expect(p.conflicts?.[0]).toMatchObject({ path: 'x', winner: swapped ? 'A2' : 'A1' });
    expect(p.actions.some((x) => x.type === 'delete')).toBe(false);
  });

  it.each([[false], [true]])('a directory wins over a file; the file becomes a conflict copy (swapped: %s)', (swapped) => {
    const [a, b] = [[d('p'), f('p/in', 'i')], [f('p', 'file')]];
    const p = swapped ? plan(b, a, null) : plan(a, b, null);
    const fileSide = swapped ? 'A1' : 'A2';
    expect(p.conflicts?.[0]).toMatchObject({ path: 'p', winner: '', losers: [{ source: fileSide }] });
    expect(brief(p)).toContain(`delete ${fileSide}:p`);
    expect(brief(p)).toContain(`mkdir ${fileSide}:p`);
  });

  it('a directory deleted on one side but holding an edit on the other stays, with its edit', () => {
    const p = plan([], [d('dir'), f('dir/x', 'edited')], base({ dir: 'dir', 'dir/x': 'f:old' }));
    expect(brief(p)).toEqual(['mkdir A1:dir', 'copy A2:dir/x→A1:dir/x']);
  });

  it('a directory deleted on one side and unchanged on the other is deleted whole', () => {
    const p = plan([], [d('dir'), f('dir/x', 'h')], base({ dir: 'dir', 'dir/x': 'f:h' }));
    expect(brief(p)).toEqual(['delete A2:dir']);
  });

  it('refuses Flat matching and single-file sources', () => {
    const c = compareInventories([inv('A1', [f('x', 'h')]), inv('A2', [])], { matching: 'flat', caseSensitive: true, dataType: 'files-and-directories' });
    expect(planTwoWayAt(c, sources, null, NOW).refusals).toEqual([{ path: '', reason: 'contradictory', detail: 'two-way-flat' }]);
    const withFile = [sources[0]!, { code: 'A2', rootKind: 'file' as const, name: 'f' }];
    expect(planTwoWayAt(compareInventories([inv('A1', []), inv('A2', [])]), withFile, null, NOW).refusals[0]?.reason).toBe('file-source-target');
  });
});

describe('conflictPath', () => {
  it.each([
    ['docs/report.txt', 'docs/report.conflict-A2-{t}.txt'],
    ['.bashrc', '.bashrc.conflict-A2-{t}'],
    ['a.tar.gz', 'a.tar.conflict-A2-{t}.gz'],
    ['noext', 'noext.conflict-A2-{t}'],
  ])('%s → %s', (path, expected) => {
    const t = conflictPath('x', 'A2', NOW).slice('x.conflict-A2-'.length);
    expect(t).toMatch(/^\d{8}-\d{6}$/);
    expect(conflictPath(path, 'A2', NOW)).toBe(expected.replace('{t}', t));
  });
  it('adds -2, -3 … when the name is taken', () => {
    const first = conflictPath('r.txt', 'A1', NOW);
    expect(conflictPath('r.txt', 'A1', NOW, (p) => p === first)).toBe(first.replace('.txt', '-2.txt'));
  });
});
