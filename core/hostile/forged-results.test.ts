/** Hostile member, finding 5: C reports B's actions as done; the leader's base and the next two-way plan ignore it. */
import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import type { Compressor } from '../ports.ts';
import type { CloudSession } from '../cloud/cloud-session.ts';
import { joinCloudSession, startCloudSession } from '../cloud/join/cloud-start.ts';
import { CloudRun } from '../cloud/run/cloud-run.ts';
import { loadBase, profileId } from '../base/base-store.ts';

const gzip: Compressor = {
  compress: async (d) => new Uint8Array(gzipSync(d)),
  decompress: async (d, max) => new Uint8Array(gunzipSync(d, { maxOutputLength: max })),
};
const until = async (check: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

interface M {
  session: CloudSession;
  run: CloudRun;
  store: MemoryStore;
}

/** Members on the loopback mesh through the in-memory signaling world, one source each (A1, B1, C1). */
async function members(trees: MemFs[]): Promise<M[]> {
  const w = inMemoryWorld();
  const all: M[] = [];
  const clock = { now: () => Date.now() };
  for (const [i, fs] of trees.entries()) {
    const deps = w.deps(`m${i}`);
    const session = i === 0 ? await startCloudSession(deps) : await joinCloudSession(deps, { sessionId: all[0]!.session.sessionId, password: all[0]!.session.password });
    const store = new MemoryStore();
    const run = new CloudRun({ session, hasher: new NobleHasher(), store, clock, compressor: gzip });
    run.setSources([{ source: fs, id: `src-${i}` }]);
    session.setSources([{ name: fs.name, kind: 'directory' }]);
    all.push({ session, run, store });
  }
  await until(() => all.every((m) => m.session.members.length === trees.length && m.session.members.every((x) => x.connected)));
  return all;
}
async function inventory(all: M[]) {
  await all[0]!.session.startInventory(`i${Date.now()}`);
  await until(() => all.every((m) => m.run.state === 'compared'));
}
async function sync(all: M[], plan: ReturnType<CloudRun['planPreset']>) {
  await all[0]!.run.synchronize(plan);
  await until(() => all.every((m) => m.run.state === 'done') && all.every((m) => m.run.results.size === all.length));
}

describe('hostile member — finding 5: a run-result counts only for actions whose target is its sender’s', () => {
  it('C claims B’s failed copy as done: A’s base keeps no trace of it, and the next two-way copies to B instead of deleting everywhere', async () => {
    const a = MemFs.from({ 'only-copy.txt': 'the only copy of this file' }, { name: 'A' });
    const [b, c] = [new MemFs({ name: 'B' }), new MemFs({ name: 'C' })];
    const all = await members([a, b, c]);
    const [ma, mb, mc] = all as [M, M, M];
    const problems: string[] = [];
    ma.run.on('problem', (p) => problems.push(p));

    b.failAlways('commit', undefined, 'io'); // B's disk refuses the write: its copy fails, honestly reported
    await inventory(all);
    const plan = ma.run.planPreset({ kind: 'two-way' }); // no base yet: a union, A1's file to B1 and C1
    const forB = plan.actions.flatMap((x, i) => (x.target === 'B1' ? [i] : []));
    expect(forB).toHaveLength(1);
    const forged = mc.session.broadcastRun.bind(mc.session);
    mc.session.broadcastRun = (m) => forged(m.type === 'run-result' ? { ...m, done: [...m.done, ...forB, 99_999] } : m);
    await sync(all, plan);

    expect(b.readFile('only-copy.txt')).toBeUndefined();
    expect(mb.run.results.get(mb.session.self)!.failed.map((f) => f.i)).toEqual(forB);
    // The leader counted C only for C's own action and said so.
    expect(ma.run.results.get(mc.session.self)!.done.every((i) => plan.actions[i]!.target === 'C1')).toBe(true);
    expect(problems.filter((p) => p.startsWith('result-refused:C'))).toHaveLength(1);
    // The base A saved: B1 does not hold the file (the sources still differ, so no entry is agreed).
    const ids = new Map([['A1', 'src-0'], ['B1', 'src-1'], ['C1', 'src-2']]);
    const base = await loadBase(ma.store, profileId([...ids.values()]), ids);
    expect([...(base?.B1 ?? new Map()).keys()]).toEqual([]);

    // B's disk works again; C stops lying. A forged "done" would make this a deletion of A's only copy.
    b.clearFaults();
    mc.session.broadcastRun = forged;
    await inventory(all);
    const next = ma.run.planPreset({ kind: 'two-way' });
    expect(next.actions.filter((x) => x.type === 'delete')).toEqual([]);
    expect(next.actions.filter((x) => x.type === 'copy' && x.target === 'B1').map((x) => x.type === 'copy' && x.targetPath)).toEqual(['only-copy.txt']);
    await sync(all, next);
    expect(a.readFile('only-copy.txt')).toEqual(b.readFile('only-copy.txt'));
    expect(a.readFile('only-copy.txt')).toBeTruthy();
  }, 60_000);
});
