import { describe, expect, it } from 'vitest';
import { compareInventories } from '../compare/compare.ts';
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import type { BaseStates, ItemState } from '../base/base-types.ts';
import type { MemberRole } from '../settings/settings.ts';
import type { Action, Plan } from './types.ts';
import { presetPlan, rulesPlan, type PlanningContext } from './planner.ts';
import { roleOfSource } from './roles.ts';
import { skippedOf } from './skipped.ts';
import { baseAfterRun } from '../base/base-store.ts';

const f = (path: string, hash: string, mtime = 1): InventoryItem => ({ kind: 'file', path, size: 1, mtime, blockSize: 131072, blocks: [hash], hash });
const inv = (source: string, items: InventoryItem[]): Inventory => ({
  source, rootKind: 'directory', rootName: source, items, errors: [],
  stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0,
});
const MEMBERS = [{ id: 'ma', letter: 'A' }, { id: 'mb', letter: 'B' }, { id: 'mc', letter: 'C' }];
/** B send-only, C receive-only, as the leader's settings say. */
const ROLES: Record<string, MemberRole> = { mb: 'send-only', mc: 'receive-only' };
const baseOf = (rows: Record<string, Record<string, ItemState>>): BaseStates =>
  Object.fromEntries(Object.entries(rows).map(([code, r]) => [code, new Map(Object.entries(r))]));

function ctx(a: InventoryItem[], b: InventoryItem[], c: InventoryItem[], base: BaseStates | null, roles = ROLES): PlanningContext {
  const invs = [inv('A1', a), inv('B1', b), inv('C1', c)];
  return {
    comparison: compareInventories(invs), sources: invs.map((i) => ({ code: i.source, rootKind: 'directory' as const, name: i.source })),
    base, now: 0, roles: roleOfSource(roles, MEMBERS),
  };
}
const brief = (actions: readonly Action[]) => actions.map((x) => (x.type === 'copy' ? `copy ${x.from}:${x.path}→${x.target}:${x.targetPath}` : `${x.type} ${x.target}:${x.path}`));
const reasons = (p: Plan) => p.refusals.map((r) => `${r.reason} ${r.detail ?? ''} ${r.path}`);

describe('member roles in the plan (docs/protocol.md §10.11)', () => {
  it('roleOfSource: a member not listed, or a letter nobody holds, sends and receives', () => {
    const roleOf = roleOfSource({ mb: 'send-only', gone: 'receive-only' }, MEMBERS);
    expect(['A1', 'B2', 'C1', 'D1'].map(roleOf)).toEqual(['send-receive', 'send-only', 'send-receive', 'send-receive']);
  });

  it('Two-way: A’s new file reaches C but never B (send-only), and the refusal is a counted skipped item', () => {
    const p = presetPlan(ctx([f('new', 'n')], [], [], null), { kind: 'two-way' });
    expect(brief(p.actions)).toEqual(['copy A1:new→C1:new']);
    expect(reasons(p)).toEqual(['send-only B1 new']);
    expect(skippedOf(p.refusals)).toHaveLength(1);
  });

  it('Two-way without roles writes B: the same rows are a plain union', () => {
    const p = presetPlan(ctx([f('new', 'n')], [], [], null, {}), { kind: 'two-way' });
    expect(brief(p.actions)).toEqual(['copy A1:new→B1:new', 'copy A1:new→C1:new']);
  });

  it('Two-way: a send-only member’s own edit still spreads', () => {
    const base = baseOf({ A1: { x: 'f:o' }, B1: { x: 'f:o' }, C1: { x: 'f:o' } });
    const p = presetPlan(ctx([f('x', 'o')], [f('x', 'e')], [f('x', 'o')], base), { kind: 'two-way' });
    expect(brief(p.actions)).toEqual(['copy B1:x→A1:x', 'copy B1:x→C1:x']);
  });

  it('Two-way: a receive-only member’s edit, deletion and creation stay local, listed, each with its held revert', () => {
    const base = baseOf({ A1: { x: 'f:o', y: 'f:y' }, B1: { x: 'f:o', y: 'f:y' }, C1: { x: 'f:o', y: 'f:y' } });
    const p = presetPlan(ctx([f('x', 'o'), f('y', 'y')], [f('x', 'o'), f('y', 'y')], [f('x', 'e'), f('z', 'z')], base), { kind: 'two-way' });
    expect(p.actions).toEqual([]);
    expect(reasons(p).sort()).toEqual(['local-change C1 x', 'local-change C1 y', 'local-change C1 z']);
    expect(brief(p.held ?? [])).toEqual(['delete C1:z', 'copy A1:x→C1:x', 'copy A1:y→C1:y']);
    expect(p.held?.find((a) => a.type === 'copy' && a.path === 'x')).toMatchObject({ replaces: 'file' });
  });

  it('Two-way: a receive-only member that did not change a row still receives the others’ change (behind, not local)', () => {
    const base = baseOf({ A1: { x: 'f:o' }, B1: { x: 'f:o' }, C1: { x: 'f:o' } });
    const p = presetPlan(ctx([f('x', 'n')], [f('x', 'o')], [f('x', 'o')], base), { kind: 'two-way' });
    expect(brief(p.actions)).toEqual(['copy A1:x→C1:x']);
    expect(reasons(p)).toEqual(['send-only B1 x']);
  });

  it('Two-way: an incoming change wins over a receive-only member’s own (its version is replaced, so versioned)', () => {
    const base = baseOf({ A1: { x: 'f:o' }, B1: { x: 'f:o' }, C1: { x: 'f:o' } });
    const p = presetPlan(ctx([f('x', 'n')], [f('x', 'o')], [f('x', 'e', 9)], base), { kind: 'two-way' });
    expect(brief(p.actions)).toEqual(['copy A1:x→C1:x']);
    expect(p.actions[0]).toMatchObject({ replaces: 'file' });
    expect(p.conflicts).toEqual([]);
  });

  it('Two-way: a conflict send-only B lost is resolved once: the runs after it make no new conflict copy', () => {
    const base0 = baseOf({ A1: { x: 'f:o' }, B1: { x: 'f:o' }, C1: { x: 'f:o' } });
    const [a, b, c] = [[f('x', 'a', 9)], [f('x', 'b', 5)], [f('x', 'o')]];
    const first = ctx(a, b, c, base0);
    const p1 = presetPlan(first, { kind: 'two-way' });
    expect(p1.conflicts?.map((k) => k.losers.map((l) => l.source))).toEqual([['B1']]);
    expect(p1.actions.every((x) => x.target !== 'B1')).toBe(true);
    // Every action done; the leader records the base with B1 send-only.
    const copyName = p1.conflicts?.[0]?.losers[0]?.path as string;
    const base1 = baseAfterRun(first.comparison, p1.actions, base0, new Set(['B1']));
    const after = [f('x', 'a', 9), f(copyName, 'b', 5)];
    for (let run = 0; run < 2; run++) {
      const p = presetPlan(ctx(after, b, after, base1), { kind: 'two-way' });
      expect(p.conflicts).toEqual([]);
      expect(p.actions).toEqual([]);
      expect(reasons(p).sort()).toEqual([`send-only B1 ${copyName}`, 'send-only B1 x'].sort());
    }
  });

  it('Mirror or Update onto a send-only source, or from a receive-only one, is refused whole with the reason', () => {
    const c = ctx([f('x', 'a')], [f('x', 'b')], [f('x', 'c')], null);
    expect(presetPlan(c, { kind: 'mirror', from: 'A1', to: 'B1' })).toMatchObject({ actions: [], refusals: [{ path: '', reason: 'send-only', detail: 'B1' }] });
    expect(presetPlan(c, { kind: 'update', from: 'C1', to: 'A1' })).toMatchObject({ actions: [], refusals: [{ path: '', reason: 'receive-only', detail: 'C1' }] });
    expect(brief(presetPlan(c, { kind: 'mirror', from: 'B1', to: 'C1' }).actions)).toEqual(['copy B1:x→C1:x']);
    expect(skippedOf(presetPlan(c, { kind: 'mirror', from: 'A1', to: 'B1' }).refusals)).toEqual([]);
  });

  it('rules and targeted actions: a copy onto B or from C to another member becomes a refusal', () => {
    const c = ctx([f('x', 'a')], [f('x', 'b')], [f('x', 'c')], null);
    const p = rulesPlan(c, { rules: [], targeted: [
      { paths: ['x'], action: { do: 'copy', from: 'C1', to: 'A1' } },
    ] });
    expect(p.actions).toEqual([]);
    expect(reasons(p)).toEqual(['receive-only C1 x']);
    const q = rulesPlan(c, { rules: [], targeted: [{ paths: ['x'], action: { do: 'delete', on: 'B1' } }] });
    expect(q.actions).toEqual([]);
    expect(reasons(q)).toEqual(['send-only B1 x']);
  });
});
