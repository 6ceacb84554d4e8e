import { describe, expect, it } from 'vitest';
import { compareInventories } from '../compare/compare.ts';
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import type { Plan } from './types.ts';
import { planRules } from './rules.ts';
import { planMirror } from './mirror.ts';
import { planTwoWayAt } from './two-way.ts';
import { planUpdate } from './update.ts';

const f = (path: string, hash = 'h'): InventoryItem => ({ kind: 'file', path, size: 1, mtime: 1, blockSize: 131072, blocks: [hash], hash });
const d = (path: string): InventoryItem => ({ kind: 'directory', path });
const inv = (source: string, items: InventoryItem[], unread: string[] = []): Inventory => ({
  source, rootKind: 'directory', rootName: source, items, errors: unread.map((path) => ({ path, code: 'permission-denied', message: '' })),
  stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0,
});
const sources = ['A1', 'A2'].map((code) => ({ code, rootKind: 'directory' as const, name: code }));
const brief = (p: Plan) => p.actions.map((x) => (x.type === 'copy' ? `copy ${x.from}:${x.path}→${x.target}:${x.targetPath}${x.replaces ? ` (replaces ${x.replaces})` : ''}` : `${x.type} ${x.target}:${x.path}`));
const skipped = (p: Plan) => p.refusals.filter((r) => r.reason === 'unreadable').map((r) => `${r.detail}:${r.path}`).sort();

// A2's folder `old` holds `old/locked` (unread), a readable file, a readable subfolder and a subfolder holding another unread item.
const target = inv('A2', [d('old'), f('old/a'), d('old/sub'), f('old/sub/b'), d('old/deep'), f('old/deep/c'), f('old/deep/locked2')], ['old/locked', 'old/deep/locked2']);
const itemByItem = ['delete A2:old/a', 'delete A2:old/deep/c', 'delete A2:old/sub'];

describe('a target folder holding an unread item is never deleted or replaced whole, whatever the planner', () => {
  it('Rules: deleting the folder deletes its readable contents one by one; the unread items and the folders holding them stay, listed as skipped', () => {
    const c = compareInventories([inv('A1', []), target]);
    const p = planRules(c, sources, { rules: [], targeted: [{ paths: ['old'], action: { do: 'delete', on: 'A2' } }] });
    expect(brief(p)).toEqual(itemByItem);
    expect(skipped(p)).toEqual(['A2:old', 'A2:old/deep', 'A2:old/deep/locked2', 'A2:old/locked']);
  });

  it('Rules: a file copied over the folder is not written (the folder stays); the readable contents still go one by one', () => {
    const c = compareInventories([inv('A1', [f('old', 'new')]), target]);
    const p = planRules(c, sources, { rules: [], targeted: [{ paths: ['old'], action: { do: 'copy', from: 'A1', to: 'A2' } }] });
    expect(brief(p)).toEqual(itemByItem);
    expect(skipped(p)).toContain('A2:old');
  });

  it('Rules: a folder holding nothing unread is still deleted whole, in one action', () => {
    const c = compareInventories([inv('A1', []), target]);
    const p = planRules(c, sources, { rules: [], targeted: [{ paths: ['old/sub'], action: { do: 'delete', on: 'A2' } }] });
    expect(brief(p)).toEqual(['delete A2:old/sub']);
  });

  it('Mirror, Two-way and Update agree: nothing that holds an unread item goes whole', () => {
    const c = compareInventories([inv('A1', []), target]);
    expect(brief(planMirror(c, { from: 'A1', to: 'A2' }, sources))).toEqual(itemByItem);
    const replaced = compareInventories([inv('A1', [f('old', 'new')]), target]);
    expect(brief(planMirror(replaced, { from: 'A1', to: 'A2' }, sources))).toEqual(itemByItem);
    // Two-way: A1 deleted `old` since the last run (the base had it everywhere).
    const base = new Map<string, 'dir' | `f:${string}`>([['old', 'dir'], ['old/a', 'f:h'], ['old/sub', 'dir'], ['old/sub/b', 'f:h'], ['old/deep', 'dir'], ['old/deep/c', 'f:h']]);
    const two = planTwoWayAt(c, sources, { A1: base, A2: base }, 0);
    expect(brief(two)).toEqual(itemByItem);
    expect(skipped(two)).toContain('A2:old');
    expect(brief(planUpdate(replaced, { from: 'A1', to: 'A2' }, sources))).toEqual([]);
  });
});
