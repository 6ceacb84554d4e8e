import { describe, expect, it } from 'vitest';
import { compareInventories } from '../compare/compare.ts';
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import type { Action } from './types.ts';
import { planTwoWayAt } from './two-way.ts';
import { planPreset } from './presets.ts';
import { rulesPlan } from './planner.ts';
import { EMPTIED_MIN_FILES } from './restrict.ts';
import { baseAfterRun } from '../base/base-store.ts';
import type { BaseStates, ItemState } from '../base/base-types.ts';

// A source that lists nothing where its base held items (a disk not mounted, a share gone) is left out of Two-way:
// never read as the deletion of everything, never written to. Syncthing's folder marker, Unison's confirmbigdel.
const f = (path: string, hash: string): InventoryItem => ({ kind: 'file', path, size: 1, mtime: 1, blockSize: 131072, blocks: [hash], hash });
const d = (path: string): InventoryItem => ({ kind: 'directory', path });
const inv = (source: string, items: InventoryItem[], unreadable: string[] = []): Inventory => ({
  source, rootKind: 'directory', rootName: source, items, errors: unreadable.map((path) => ({ path, code: 'not-found', message: 'gone' })),
  stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0,
});
const codes = ['A1', 'B1', 'C1'];
const sources = codes.map((code) => ({ code, rootKind: 'directory' as const, name: code }));
const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const same = (entries: Record<string, ItemState>, on = codes): BaseStates => Object.fromEntries(on.map((c) => [c, new Map(Object.entries(entries))]));
const without = (path: string) => full.filter((x) => x.path !== path);
const brief = (actions: readonly Action[]) => actions.map((x) => (x.type === 'copy' ? `copy ${x.from}:${x.path}→${x.target}:${x.targetPath}` : `${x.type} ${x.target}:${x.path}`)).sort();
// EMPTIED_MIN_FILES files: a tree, not a handful a user might clear by hand.
const many = Array.from({ length: EMPTIED_MIN_FILES - 2 }, (_, i) => f(`m${i}`, `m${i}`));
const full = [d('docs'), f('docs/a', 'a'), f('b', 'b'), ...many];
const fullBase = same({ docs: 'dir', 'docs/a': 'f:a', b: 'f:b', ...Object.fromEntries(many.map((x) => [x.path, `f:${x.path}` as const])) });

describe('Two-way and a source that suddenly lists nothing', () => {
  it('deletes nothing on the others and writes nothing to it; the others still synchronize among themselves', () => {
    const c = compareInventories([inv('A1', []), inv('B1', full), inv('C1', [...full, f('new', 'n')])]);
    const p = planTwoWayAt(c, sources, fullBase, NOW);
    expect(brief(p.actions)).toEqual(['copy C1:new→B1:new']);
    expect(p.refusals).toContainEqual({ path: '', reason: 'emptied', detail: 'A1' });
  });

  it('with two sources, refuses the plan and says which source looks emptied', () => {
    const c = compareInventories([inv('A1', full), inv('B1', [])]);
    const p = planTwoWayAt(c, sources.slice(0, 2), fullBase, NOW);
    expect(p.actions).toEqual([]);
    expect(p.refusals).toEqual([{ path: '', reason: 'emptied', detail: 'B1' }]);
  });

  it('once it is back, it is behind: a deletion made meanwhile reaches it, nothing it held comes back as a creation', () => {
    // Round 1: A1 unmounted; B1 deletes b, which Two-way carries to C1.
    const c1 = compareInventories([inv('A1', []), inv('B1', without('b')), inv('C1', full)]);
    const p1 = planTwoWayAt(c1, sources, fullBase, NOW);
    expect(brief(p1.actions)).toEqual(['delete C1:b']);
    const base1 = baseAfterRun(c1, p1.actions, fullBase);
    expect(base1.A1?.get('b')).toBe('f:b');
    // Round 2: A1 mounted again, as it was: b goes there too (to its versions), docs/a stays everywhere.
    const c2 = compareInventories([inv('A1', full), inv('B1', without('b')), inv('C1', without('b'))]);
    const p2 = planTwoWayAt(c2, sources, base1, NOW);
    expect(brief(p2.actions)).toEqual(['delete A1:b']);
    expect(p2.refusals).toEqual([]);
  });

  it('is not the case for a source emptied with the others, a first run, or a root that could not be read', () => {
    const none = compareInventories([inv('A1', []), inv('B1', []), inv('C1', [])]);
    expect(planTwoWayAt(none, sources, fullBase, NOW).refusals).toEqual([]);
    const first = planTwoWayAt(compareInventories([inv('A1', []), inv('B1', full), inv('C1', full)]), sources, null, NOW);
    expect(first.actions.filter((a) => a.type === 'delete')).toEqual([]);
    expect(first.actions.filter((a) => a.target === 'A1')).toHaveLength(full.length);
    const unread = planTwoWayAt(compareInventories([inv('A1', [], ['']), inv('B1', full), inv('C1', full)]), sources, fullBase, NOW);
    expect(unread.actions).toEqual([]);
    expect(unread.refusals.map((r) => r.reason)).not.toContain('emptied');
  });

  it('a source whose root could not be listed (removed, a stale handle) is left out too: the others go on, its base stays', () => {
    const c = compareInventories([inv('A1', [], ['']), inv('B1', without('b')), inv('C1', [...full, f('new', 'n')])]);
    const p = planTwoWayAt(c, sources, fullBase, NOW);
    expect(brief(p.actions)).toEqual(['copy C1:new→B1:new', 'delete C1:b']);
    expect(p.refusals).toEqual([{ path: '', reason: 'unreadable', detail: 'A1' }]);
    const after = baseAfterRun(c, p.actions, fullBase);
    expect(after.A1).toEqual(fullBase.A1);
    // Two sources, one unread: nothing to plan, the refusal says which.
    const two = planTwoWayAt(compareInventories([inv('A1', [], ['']), inv('B1', full)]), sources.slice(0, 2), fullBase, NOW);
    expect(two).toMatchObject({ actions: [], refusals: [{ path: '', reason: 'unreadable', detail: 'A1' }] });
  });

  it('a source that still holds one item, or whose base held fewer files, is not emptied: its deletions spread as ever', () => {
    const c = compareInventories([inv('A1', [f('b', 'b')]), inv('B1', full), inv('C1', full)]);
    expect(planTwoWayAt(c, sources, fullBase, NOW).actions.filter((a) => a.type === 'delete')).toHaveLength(2 * (EMPTIED_MIN_FILES - 1)); // docs whole, and the other files
    const few = [d('docs'), ...full.filter((x) => x.kind === 'file').slice(0, EMPTIED_MIN_FILES - 1)];
    const fewBase = same(Object.fromEntries(few.map((x) => [x.path, x.kind === 'file' ? (`f:${x.hash}` as const) : ('dir' as const)])));
    const cleared = compareInventories([inv('A1', []), inv('B1', few), inv('C1', few)]);
    const p = planTwoWayAt(cleared, sources, fewBase, NOW);
    expect(p.refusals).toEqual([]);
    expect(brief(p.actions)).toEqual(['delete B1:docs', 'delete C1:docs', ...few.filter((x) => !x.path.startsWith('docs')).flatMap((x) => [`delete B1:${x.path}`, `delete C1:${x.path}`])].sort());
  });

  it('Mirror from it is refused whole (a scheduled backup from an unmounted disk would empty the target); onto it, it goes on', () => {
    const c = compareInventories([inv('A1', []), inv('B1', full), inv('C1', full)]);
    const from = planPreset(c, { kind: 'mirror', from: 'A1', to: 'B1' }, sources, { base: fullBase, now: NOW });
    expect(from).toMatchObject({ actions: [], refusals: [{ path: '', reason: 'emptied', detail: 'A1' }] });
    const onto = planPreset(c, { kind: 'mirror', from: 'B1', to: 'A1' }, sources, { base: fullBase, now: NOW });
    expect(onto.actions.filter((a) => a.target === 'A1')).toHaveLength(full.length);
    expect(planPreset(c, { kind: 'mirror', from: 'A1', to: 'B1' }, sources, { base: null, now: NOW }).summary.deletions).toBe(full.filter((x) => !x.path.includes('/')).length); // no base: a Mirror as ever
  });

  it('rules that delete what it lacks (a scheduled backup by rules) are refused as a Mirror from it; rules that only copy go on', () => {
    const c = compareInventories([inv('A1', []), inv('B1', full)]);
    const ctx = { comparison: c, sources: sources.slice(0, 2), base: fullBase, now: NOW };
    const absent = [{ on: 'presence' as const, source: 'A1', op: 'absent' as const }];
    const mirrorLike = [
      { scope: 'files' as const, mode: 'all' as const, conditions: absent, action: { do: 'delete' as const, on: 'B1' } },
      { scope: 'directories' as const, mode: 'all' as const, conditions: absent, action: { do: 'delete' as const, on: 'B1' } },
    ];
    expect(rulesPlan(ctx, { rules: mirrorLike, targeted: [] })).toMatchObject({ actions: [], refusals: [{ path: '', reason: 'emptied', detail: 'A1' }] });
    const copyOnly = [{ scope: 'files' as const, mode: 'all' as const, conditions: [], action: { do: 'copy' as const, from: 'B1', to: 'A1' } }];
    expect(rulesPlan(ctx, { rules: copyOnly, targeted: [] }).actions.length).toBeGreaterThan(0);
    expect(rulesPlan({ ...ctx, base: null }, { rules: mirrorLike, targeted: [] }).summary.deletions).toBeGreaterThan(0); // no base: as ever
  });
});
