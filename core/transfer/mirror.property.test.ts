import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemFs } from '../testing/memfs.ts';
import { trees, validNames } from '../testing/tree-arbitrary.ts';
import { harness } from '../testing/harness.ts';
import { toHex } from '../bytes.ts';
import { ancestors } from '../paths.ts';

const runs = Number(process.env.QUINTET_PROPERTY_RUNS ?? 50);

// Names mixing ASCII, NFC é and NFD e+◌́ (distinct names that must never merge), CJK and astral characters.
const name = validNames(['a', 'b', 'B', '\u00e9', 'e\u0301', '日', '😀', ' ', '.', '-']);
const tree = trees(name, fc.oneof(fc.constantFrom('', 'same', 'other'), fc.uint8Array({ maxLength: 40 })), { maxKeys: 4, maxDepth: 3 });

const hexOf = (snap: Record<string, Uint8Array | null>) =>
  Object.fromEntries(Object.entries(snap).map(([p, v]) => [p, v === null ? null : toHex(v)]));

describe('Mirror then apply (property)', () => {
  it('makes the target equal the source and keeps every replaced or deleted content reachable', async () => {
    await fc.assert(
      fc.asyncProperty(tree, tree, fc.boolean(), async (xs, ys, withMove) => {
        const h = harness(MemFs.from(xs), MemFs.from(ys, { move: withMove }));
        const before = hexOf(h.y.snapshot());
        const result = await h.apply(await h.plan());
        expect(result.failures).toEqual([]);
        expect(hexOf(h.y.snapshot({ exclude: ['.quintet'] }))).toEqual(hexOf(h.x.snapshot()));
        const after = hexOf(h.y.snapshot({ exclude: ['.quintet'] }));
        const kept = hexOf(h.y.snapshot({ under: `.quintet/versions/${result.runId}` }));
        for (const [path, hash] of Object.entries(before)) {
          // In place, or under versions at the same path (a directory kept whole keeps its children).
          expect(after[path] === hash || kept[path] === hash, `${path} lost`).toBe(true);
        }
      }),
      { numRuns: runs },
    );
  });

  it('Update never removes anything the target held', async () => {
    await fc.assert(
      fc.asyncProperty(tree, tree, async (xs, ys) => {
        const h = harness(MemFs.from(xs), MemFs.from(ys));
        const before = hexOf(h.y.snapshot());
        const result = await h.apply(await h.plan('update'));
        expect(result.failures).toEqual([]);
        const after = hexOf(h.y.snapshot({ exclude: ['.quintet'] }));
        const kept = hexOf(h.y.snapshot({ under: `.quintet/versions/${result.runId}` }));
        for (const [path, hash] of Object.entries(before)) expect(after[path] === hash || kept[path] === hash).toBe(true);
        // What the target lacked arrives, unless a file of the target stands where the source has a folder above it.
        for (const [path, hash] of Object.entries(hexOf(h.x.snapshot()))) {
          const clear = ancestors(path).slice(1).every((a) => !(a in before) || before[a] === null);
          if (!(path in before) && clear) expect(after[path]).toBe(hash);
        }
      }),
      { numRuns: runs },
    );
  });
});

describe('Mirror with settings (property)', () => {
  it('data type "files": the target holds exactly the source files (directories only as parents)', async () => {
    const { compareInventories } = await import('../compare/compare.ts');
    const { planMirror } = await import('../plan/mirror.ts');
    await fc.assert(
      fc.asyncProperty(tree, tree, async (xs, ys) => {
        const h = harness(MemFs.from(xs), MemFs.from(ys));
        const before = hexOf(h.y.snapshot());
        const sources = [{ code: 'A1', rootKind: 'directory' as const, name: 'x' }, { code: 'A2', rootKind: 'directory' as const, name: 'y' }];
        const c = compareInventories(await h.inventories(), { matching: 'tree', caseSensitive: true, dataType: 'files' });
        const result = await h.apply(planMirror(c, { from: 'A1', to: 'A2' }, sources));
        const filesOf = (snap: Record<string, string | null>) => Object.fromEntries(Object.entries(snap).filter(([, v]) => v !== null));
        const after = hexOf(h.y.snapshot({ exclude: ['.quintet'] }));
        // A target file where the source has a directory blocks that directory's files: not a files-only case to fix.
        const blocked = (p: string) => ancestors(p).slice(1).some((a) => typeof before[a] === 'string');
        const expected = Object.entries(filesOf(hexOf(h.x.snapshot()))).filter(([p]) => !blocked(p));
        for (const [p, hash] of expected) expect(after[p], p).toBe(hash);
        const kept = hexOf(h.y.snapshot({ under: `.quintet/versions/${result.runId}` }));
        for (const [p, hash] of Object.entries(filesOf(before))) expect(after[p] === hash || kept[p] === hash, `${p} lost`).toBe(true);
      }),
      { numRuns: runs },
    );
  });
});
