import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DirSink } from '../ports.ts';
import type { Inventory } from '../inventory/types.ts';
import type { Preset } from '../plan/types.ts';
import { MemFs } from '../testing/memfs.ts';
import { toHex } from '../bytes.ts';
import { isValidPath } from '../paths.ts';
import { touchesOwnFolder } from '../own-folder.ts';
import { runInventory } from '../inventory/inventory.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { decodeInventories, encodeInventories } from '../transfer/compact-inventory.ts';
import { leaderPlan, memberShare, ownInventory, ROUND, wired } from './peer-run.ts';

const runs = Number(process.env.QUINTET_PROPERTY_RUNS ?? 30);
const RUN = '20240101-000000';

// Path segments a hostile member likes: spellings of Quintet's folder, its inner names, traversal, and plain names.
const plain = fc.constantFrom('a', 'B', 'x.txt', 'report.txt', 'versions', 'tmp', RUN);
const hostile = fc.constantFrom('.quintet', '.Quintet', '.QUINTET', '.quintet.', '.quin\u200ctet', 'QUINTE~1', '..', '.', '');
const segment = fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: hostile });
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const code = fc.constantFrom('A1', 'B1', 'B2', 'C1');
const wireAction = fc.oneof(
  fc.tuple(fc.constant('c'), code, code, path, path, fc.nat(), fc.constantFrom('', 'file', 'directory'), fc.boolean()),
  fc.tuple(fc.constant('m'), code, path),
  fc.tuple(fc.constant('d'), code, path, fc.constantFrom('file', 'directory')),
);
const presets: (Preset | null)[] = [null, { kind: 'mirror', from: 'A1', to: 'B1' }, { kind: 'mirror', from: 'A1', to: 'B2' }, { kind: 'two-way' }, { kind: 'mirror', from: 'B1', to: 'B2' }];
/** One round of messages from the hostile member A (its inventory) and a hostile leader (its plan). */
const round = fc.record({
  tree: fc.array(fc.tuple(path, fc.option(fc.constantFrom('p', 'q', 'hostile'), { nil: undefined })), { maxLength: 8 }),
  honestWalk: fc.boolean(), // A's walk with the exclusions, or one listing everything it holds
  // Raw items spliced into A's wire inventory, in one round out of four.
  forged: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(path, fc.nat()), { minLength: 1, maxLength: 2 }) }),
  preset: fc.constantFrom(...presets),
  crafted: fc.array(wireAction, { maxLength: 6 }),
});

/** A sink that records the paths of every call that can change something. */
function recorded(fs: MemFs, log: string[]): DirSink {
  const sink: DirSink = {
    rootKind: fs.rootKind, name: fs.name,
    list: (p) => fs.list(p), stat: (p) => fs.stat(p), open: (p) => fs.open(p), access: (m, r) => fs.access(m, r),
    mkdir: (p) => (log.push(p), fs.mkdir(p)),
    createWriter: (p) => (log.push(p), fs.createWriter(p)),
    remove: (p, o) => (log.push(p), fs.remove(p, o)),
  };
  const move = fs.move;
  if (move) sink.move = (from, to) => (log.push(from, to), move(from, to));
  return sink;
}

/**
 * Whether a write at `p` is allowed: anywhere outside Quintet's own folder, else only the versions of a run that did
 * not exist before this round (`.quintet` and `.quintet/versions` themselves as their parents), never keeping a
 * version of Quintet's own folder inside it, and the manifest of such a run (`.quintet/runs/<run>.json`, beside them).
 */
function allowed(p: string, before: ReadonlySet<string>): boolean {
  if (!isValidPath(p) || p === '') return false;
  if (!touchesOwnFolder(p)) return true;
  const [own, versions, run, ...rest] = p.split('/');
  if (own !== '.quintet') return false;
  if (versions === undefined) return true;
  if (versions === 'runs') return run === undefined || (rest.length === 0 && run.endsWith('.json') && !before.has(run.slice(0, -5).toLowerCase()));
  if (versions !== 'versions') return false;
  return run === undefined || (!before.has(run.toLowerCase()) && !touchesOwnFolder(rest.join('/')));
}

const hex = (snap: Record<string, Uint8Array | null>) => Object.fromEntries(Object.entries(snap).map(([p, b]) => [p, b === null ? null : toHex(b)]));

describe('hostile member — property: no peer message writes outside the sources or into .quintet/ except versions', () => {
  it('holds over rounds of forged inventories and plans, on case-sensitive and case-insensitive targets, with and without one-step move', async () => {
    const seen = { rounds: 0, refused: 0, writes: 0, versions: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean(), async (rounds, caseInsensitive, move) => {
        const options = { caseInsensitive, move, capacityBytes: 1024 * 1024, maxPathLength: 2048 };
        const b1 = MemFs.from({ '.quintet': { versions: { [RUN]: { 'report.txt': 'history' } } }, a: { 'x.txt': 'mine' }, 'report.txt': 'r' }, { ...options, name: 'B1' });
        const b2 = MemFs.from({ B: { 'x.txt': 'two' } }, { ...options, name: 'B2' });
        const targets = [b1, b2].map((fs) => ({ fs, log: [] as string[] }));
        const own = new Map(targets.map((t, i) => [`B${i + 1}`, recorded(t.fs, t.log)]));
        for (const r of rounds) {
          const a = new MemFs({ name: 'A' });
          for (const [p, content] of r.tree) {
            try {
              if (content === undefined) await a.mkdir(p);
              else a.writeFile(p, content);
            } catch {
              // A name this file system refuses: the forged items below still send it.
            }
          }
          const writes = () => [a.counts.mkdir, a.counts.createWriter, a.counts.remove, a.counts.move];
          const seeded = writes();
          const mine = await runInventory({
            source: a, sourceCode: 'A1', sourceId: 'id-A1', hasher: new NobleHasher(), store: new MemoryStore(), clock: new ManualClock(),
            ...(r.honestWalk ? {} : { exclude: () => false }),
          });
          const wire = encodeInventories([{ id: 'id-A1', inventory: mine }]) as [unknown, unknown, unknown, unknown, unknown[], unknown[]][];
          const items = wire[0]?.[4] ?? [];
          for (const [p, at] of r.forged) items.splice(at % (items.length + 1), 0, [p]);
          const fromA = decodeInventories(wired(wire), 'A', 0);
          seen.rounds++;
          if (fromA === null) {
            seen.refused++; // refused: CloudRun compares nothing and says `inventory-refused`
            continue;
          }
          const inventories: Inventory[] = [...fromA.map((s) => s.inventory), (await ownInventory(b1, 'B1')).inventory, (await ownInventory(b2, 'B2')).inventory];
          const hashes = inventories.flatMap((i) => i.items.flatMap((it) => (it.kind === 'file' ? [it.hash] : [])));
          const planned = r.preset ? (leaderPlan(inventories, r.preset) as { actions: unknown[] }).actions : [];
          const crafted = r.crafted.map((w) => (w[0] === 'c' ? [...w.slice(0, 5), hashes[w[5] % Math.max(1, hashes.length)] ?? '0'.repeat(64), ...w.slice(6)] : w));
          const plan = { inventoryRun: ROUND, actions: [...planned, ...crafted], conflicts: [] };
          const before = targets.map((t) => hex(t.fs.snapshot({ under: '.quintet/versions' })));
          const manifestsBefore = targets.map((t) => Object.keys(t.fs.snapshot({ under: '.quintet/runs' })).map((p) => p.replace(/\.json$/, '')));
          for (const t of targets) t.log.length = 0;
          await memberShare(own, inventories, plan, new Map([['A1', a]]));
          for (const [i, { fs, log }] of targets.entries()) {
            const history = before[i] ?? {};
            const runsBefore = new Set([...Object.keys(history).filter((p) => !p.includes('/')), ...(manifestsBefore[i] ?? [])].map((p) => p.toLowerCase()));
            expect(log.filter((p) => !allowed(p, runsBefore))).toEqual([]);
            seen.writes += log.length;
            seen.versions += log.filter((p) => p.startsWith('.quintet/versions/')).length;
            const after = hex(fs.snapshot({ under: '.quintet/versions' }));
            for (const [p, h] of Object.entries(history)) expect(after[p], `history ${p}`).toBe(h);
            expect(Object.keys(fs.snapshot({ under: '.quintet' })).filter((p) => !p.startsWith('versions') && !/^runs(\/[^/]+\.json)?$/.test(p))).toEqual([]);
          }
          expect(writes()).toEqual(seeded); // the peer's own source is only read
        }
      }),
      { numRuns: runs },
    );
    // The rounds did reach the writing code: some inventories were taken, some writes made, some versions kept.
    expect(seen.refused).toBeLessThan(seen.rounds);
    expect(seen.writes).toBeGreaterThan(0);
    expect(seen.versions).toBeGreaterThan(0);
  }, 120_000);
});
