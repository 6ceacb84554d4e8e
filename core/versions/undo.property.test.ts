import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemFs } from '../testing/memfs.ts';
import { trees, validNames } from '../testing/tree-arbitrary.ts';
import { harness } from '../testing/harness.ts';
import { toHex } from '../bytes.ts';
import { isWithin } from '../paths.ts';
import { undoLastRun } from './undo.ts';
import { planTwoWayAt } from '../plan/two-way.ts';

const runs = Number(process.env.QUINTET_PROPERTY_RUNS ?? 30);

const name = validNames(['a', 'b', 'B', '\u00e9', 'e\u0301', '日', ' ', '.', '-']);
const tree = trees(name, fc.oneof(fc.constantFrom('', 'same', 'other'), fc.uint8Array({ maxLength: 40 })), { maxKeys: 4, maxDepth: 3 });
/** A change made after the run: rewrite or delete the n-th file the target holds, or add a file in the n-th folder. */
const change = fc.record({ op: fc.constantFrom('rewrite', 'delete', 'add'), n: fc.nat(), name, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) });

const live = (fs: MemFs) =>
  Object.fromEntries(Object.entries(fs.snapshot({ exclude: ['.quintet'] })).map(([p, v]) => [p, v === null ? 'dir' : toHex(v)]));

describe('Undo last run (property)', () => {
  it('after any Mirror or Update, undo with nothing changed since restores the target exactly (hashes and kinds)', async () => {
    await fc.assert(
      fc.asyncProperty(tree, tree, fc.boolean(), fc.constantFrom('mirror' as const, 'update' as const), async (xs, ys, move, kind) => {
        const h = harness(MemFs.from(xs), MemFs.from(ys, { move }));
        const before = live(h.y);
        const sourceBefore = live(h.x);
        const result = await h.apply(await h.plan(kind));
        expect(result.failures).toEqual([]);
        h.clock.advance(1000);
        const undo = await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock });
        expect(undo.leftAlone).toEqual([]);
        expect(live(h.y)).toEqual(before);
        expect(live(h.x)).toEqual(sourceBefore);
      }),
      { numRuns: runs },
    );
  });

  it('after any first Two-way (both folders written, conflict copies made), undo on each folder restores both exactly', async () => {
    const seen = { both: 0, conflicts: 0 };
    await fc.assert(
      fc.asyncProperty(tree, tree, fc.boolean(), fc.boolean(), async (xs, ys, move, clash) => {
        // Half the time the second folder also holds every top-level file of the first, edited: conflicts, every time.
        const edited = Object.entries(xs).flatMap(([k, v]) => (typeof v === 'string' || v instanceof Uint8Array ? [[k, `${String(v)} edited`]] : []));
        const h = harness(MemFs.from(xs, { move }), MemFs.from(clash ? { ...ys, ...Object.fromEntries(edited) } : ys, { move }));
        const before = { x: live(h.x), y: live(h.y) };
        h.clock.advance(1000);
        const sources = [{ code: 'A1', rootKind: h.x.rootKind, name: h.x.name }, { code: 'A2', rootKind: h.y.rootKind, name: h.y.name }];
        const plan = planTwoWayAt(await h.compare(), sources, null, h.clock.now());
        if (['A1', 'A2'].every((code) => plan.actions.some((a) => a.target === code))) seen.both++;
        if (plan.actions.some((a) => a.type === 'copy' && a.conflict === true)) seen.conflicts++;
        const result = await h.apply(plan);
        expect(result.failures).toEqual([]);
        h.clock.advance(1000);
        for (const sink of [h.x, h.y]) expect((await undoLastRun({ sink, hasher: h.hasher, clock: h.clock })).leftAlone).toEqual([]);
        expect({ x: live(h.x), y: live(h.y) }).toEqual(before);
      }),
      { numRuns: runs },
    );
    // The trees reach what this property is about: runs writing both folders, and conflicts.
    expect(seen.both).toBeGreaterThan(0);
    expect(seen.conflicts).toBeGreaterThan(0);
  });

  it('with random changes since, changes nothing that changed and restores the rest', async () => {
    await fc.assert(
      fc.asyncProperty(tree, tree, fc.array(change, { maxLength: 4 }), async (xs, ys, changes) => {
        const h = harness(MemFs.from(xs), MemFs.from(ys));
        const before = live(h.y);
        await h.apply(await h.plan());
        // The user changes things after the run.
        const touched = new Set<string>();
        for (const c of changes) {
          const now = live(h.y);
          const files = Object.keys(now).filter((p) => now[p] !== 'dir' && ![...touched].some((t) => isWithin(p, t) || isWithin(t, p)));
          const dirs = ['', ...Object.keys(now).filter((p) => now[p] === 'dir')];
          if (c.op === 'add') {
            const dir = dirs[c.n % dirs.length] as string;
            const path = dir === '' ? c.name : `${dir}/${c.name}`;
            if (path in now || [...touched].some((t) => isWithin(path, t) || isWithin(t, path))) continue;
            h.y.writeFile(path, c.bytes);
            touched.add(path);
          } else if (files.length > 0) {
            const path = files[c.n % files.length] as string;
            if (c.op === 'delete') h.y.delete(path);
            else h.y.writeFile(path, new Uint8Array([...(h.y.readFile(path) ?? []), ...c.bytes]));
            touched.add(path);
          }
        }
        const changed = live(h.y);
        h.clock.advance(1000);
        const undo = await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock });
        const after = live(h.y);
        // Every changed path holds what the change left there.
        for (const t of touched) expect(after[t], `${t} changed since, must stay`).toBe(changed[t]);
        // Every path unrelated to a change is as before the run.
        const related = (p: string) => [...touched].some((t) => isWithin(p, t) || isWithin(t, p));
        for (const p of new Set([...Object.keys(before), ...Object.keys(after)])) {
          if (!related(p)) expect(after[p], `${p} not restored`).toBe(before[p]);
        }
        // What was left alone is listed, and only what a change touched (or what lies on its way) is.
        for (const l of undo.leftAlone) expect(related(l.path), `${l.path} left alone (${l.reason})`).toBe(true);
      }),
      { numRuns: runs },
    );
  });
});
