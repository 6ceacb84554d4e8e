import { describe, expect, it } from 'vitest';
import { planMirror } from './mirror.ts';
import { planUpdate } from './update.ts';
import { compareInventories } from '../compare/compare.ts';
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import type { PlanSource } from './plan-common.ts';

type Spec = Record<string, string | null>; // path → hash ('' kept for empty), null = directory; 'hash@mtime' sets mtime
function inv(source: string, spec: Spec, rootKind: 'file' | 'directory' = 'directory'): Inventory {
  const items: InventoryItem[] = Object.entries(spec).map(([path, v]) => {
    if (v === null) return { kind: 'directory', path };
    const [hash = '', mtime = '1'] = v.split('@');
    return { kind: 'file', path, size: hash.length, mtime: Number(mtime), blockSize: 131072, blocks: [], hash };
  });
  items.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { source, rootKind, rootName: Object.keys(spec)[0] ?? source, items, errors: [], stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0 };
}
const dirs: PlanSource[] = [{ code: 'A1', rootKind: 'directory', name: 'x' }, { code: 'A2', rootKind: 'directory', name: 'y' }];
const brief = (p: ReturnType<typeof planMirror>) =>
  p.actions.map((a) => (a.type === 'copy' ? `copy ${a.path}${a.replaces ? ` (replaces ${a.replaces})` : ''}` : `${a.type} ${a.path}${a.type === 'delete' ? ` ${a.kind}` : ''}`));
const mirror = (x: Spec, y: Spec) => planMirror(compareInventories([inv('A1', x), inv('A2', y)]), { from: 'A1', to: 'A2' }, dirs);
const update = (x: Spec, y: Spec) => planUpdate(compareInventories([inv('A1', x), inv('A2', y)]), { from: 'A1', to: 'A2' }, dirs);

describe('planMirror', () => {
  it.each<[string, Spec, Spec, string[]]>([
    ['nothing to do when equal', { a: 'h', d: null }, { a: 'h', d: null }, []],
    ['copies a missing file', { a: 'h' }, {}, ['copy a']],
    ['overwrites a different file', { a: 'h' }, { a: 'g' }, ['copy a (replaces file)']],
    ['creates directories parents first, then files', { d: null, 'd/e': null, 'd/e/f': 'h' }, {}, ['mkdir d', 'mkdir d/e', 'copy d/e/f']],
    ['keeps empty directories', { empty: null }, {}, ['mkdir empty']],
    ['deletes an extra file', {}, { a: 'h' }, ['delete a file']],
    ['deletes a whole directory once', { k: 'h' }, { d: null, 'd/x': 'h', 'd/y': null, 'd/y/z': 'h' }, ['delete d directory', 'copy k']],
    ['replaces a directory by a file', { p: 'h' }, { p: null, 'p/c': 'h' }, ['copy p (replaces directory)']],
    ['replaces a file by a directory', { p: null, 'p/c': 'h' }, { p: 'h' }, ['delete p file', 'mkdir p', 'copy p/c']],
    ['deletes before writing (case renames on folding targets)', { Foo: 'h' }, { foo: 'h' }, ['delete foo file', 'copy Foo']],
    ['copies an empty file', { e: '' }, {}, ['copy e']],
  ])('%s', (_name, x, y, expected) => {
    expect(brief(mirror(x, y))).toEqual(expected);
  });

  it('summarizes what the dialog states', () => {
    const p = mirror({ a: 'hhh', b: 'new', d: null }, { b: 'old', z: 'x' });
    expect(p.summary).toEqual({ copies: 2, overwrites: 1, directories: 1, deletions: 1, bytes: 6 });
    expect(p.actions.find((a) => a.type === 'copy')).toMatchObject({ from: 'A1', target: 'A2', targetPath: 'a', hash: 'hhh', size: 3, mtime: 1, blockSize: 131072, blocks: [] });
  });

  it('refuses a source onto itself, unknown codes and single-file targets', () => {
    const c = compareInventories([inv('A1', { a: 'h' }), inv('A2', { 'f.txt': 'g' }, 'file')]);
    const sources: PlanSource[] = [dirs[0]!, { code: 'A2', rootKind: 'file', name: 'f.txt' }];
    expect(planMirror(c, { from: 'A1', to: 'A1' }, sources).refusals).toEqual([{ path: '', reason: 'same-source', detail: 'A1' }]);
    expect(planMirror(c, { from: 'A1', to: 'B9' }, sources).refusals[0]?.reason).toBe('unknown-source');
    const intoFile = planMirror(c, { from: 'A1', to: 'A2' }, sources);
    expect(intoFile).toMatchObject({ actions: [], refusals: [{ reason: 'file-source-target' }] });
  });

  it('from a single file onto a folder writes only that file and deletes nothing', () => {
    const c = compareInventories([inv('A1', { 'f.txt': 'new' }, 'file'), inv('A2', { 'f.txt': 'old', other: 'o', d: null })]);
    const p = planMirror(c, { from: 'A1', to: 'A2' }, [{ code: 'A1', rootKind: 'file', name: 'f.txt' }, dirs[1]!]);
    expect(brief(p)).toEqual(['copy f.txt (replaces file)']);
  });

  it('leaves unreadable paths of either side alone and says so', () => {
    const x = inv('A1', { d: null, 'd/a': 'h', e: 'h' });
    x.errors = [{ path: 'd', code: 'permission-denied', message: '' }];
    const c = compareInventories([x, inv('A2', { d: null, 'd/a': 'h', 'd/b': 'old', f: 'h' })]);
    const p = planMirror(c, { from: 'A1', to: 'A2' }, dirs);
    expect(brief(p)).toEqual(['delete f file', 'copy e']);
    expect(p.refusals).toEqual([{ path: 'd', reason: 'unreadable', detail: 'A1' }]);
    const denied = inv('A2', {});
    denied.errors = [{ path: '', code: 'permission-denied', message: '' }];
    expect(planMirror(compareInventories([inv('A1', { a: 'h' }), denied]), { from: 'A1', to: 'A2' }, dirs).actions).toEqual([]);
  });
});

describe('planUpdate', () => {
  it.each<[string, Spec, Spec, string[]]>([
    ['copies what is missing', { a: 'h', d: null, 'd/b': 'h' }, {}, ['copy a', 'mkdir d', 'copy d/b']],
    ['copies what is newer on the source', { a: 'new@5' }, { a: 'old@3' }, ['copy a (replaces file)']],
    ['keeps what is newer on the target', { a: 'old@3' }, { a: 'new@5' }, []],
    ['never deletes', {}, { a: 'h', d: null }, []],
    ['leaves file/directory clashes alone, children too', { p: null, 'p/c': 'h', q: 'h' }, { p: 'h', q: null }, []],
  ])('%s', (_name, x, y, expected) => {
    expect(brief(update(x, y))).toEqual(expected);
  });
});
