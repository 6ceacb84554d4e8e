import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { until } from '../../signaling/testing/cloud-members.ts';
import { nodeCompressor } from '../../adapters/node/compressor.ts';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import type { SessionSettings } from '../settings/settings.ts';
import { CloudMember, type CloudMemberPorts } from './member.ts';

const files = (fs: MemFs) => Object.fromEntries(Object.entries(fs.snapshot({ exclude: ['.quintet'] })).map(([p, b]) => [p, b === null ? null : createHash('sha256').update(b).digest('hex')]));

describe('three members with no UI: the same CloudMember the page drives, over the loopback mesh', () => {
  it('settings change by the leader, a newcomer mid-way, Mirror then Two-way: every member ends equal', async () => {
    const world = inMemoryWorld();
    const ports = (name: string): CloudMemberPorts => ({ deps: world.deps(name), hasher: new NobleHasher(), store: new MemoryStore(), compressor: nodeCompressor });
    const a = MemFs.from({ docs: { 'a.txt': 'alpha', 'big.bin': patternBytes(400_000, 3), 'debug.log': 'noise' }, 'top.txt': 'top' }, { name: 'A' });
    const b = MemFs.from({ 'old.txt': 'to be deleted', docs: { 'a.txt': 'stale' } }, { name: 'B' });
    const c = MemFs.from({ 'c-only.txt': 'from C' }, { name: 'C' });

    const A = await CloudMember.start(ports('A'));
    const B = await CloudMember.join(ports('B'), { sessionId: A.session.sessionId, password: A.session.password });
    A.setSources([{ source: a, id: 'src-a' }]);
    B.setSources([{ source: b, id: 'src-b' }]);
    const all = [A, B];
    const connected = () => all.every((m) => m.session.members.length === all.length && m.session.members.every((x) => x.connected));
    await until(connected);
    // Names and kinds reach the others from the one list of sources.
    await until(() => B.session.members[0]!.sources.length === 1);
    expect(B.session.members[0]!.sources).toEqual([{ name: 'A', kind: 'directory' }]);

    // The leader changes the settings: refused ones change nothing; valid ones reach every member, validated there.
    const bad = A.changeSettings({ ...A.settings, analysisMode: 'fast' } as unknown as SessionSettings);
    expect(bad.issues.map((i) => i.field)).toEqual(['analysisMode']);
    const seen: SessionSettings[] = [];
    B.session.on('settings.changed', (s) => seen.push(s));
    await A.changeSettings({ ...A.settings, exclusionPatterns: ['*.log'] }).sent;
    await until(() => B.settings.exclusionPatterns.length === 1);
    expect(seen.at(-1)?.exclusionPatterns).toEqual(['*.log']);
    await expect(B.changeSettings(B.settings).sent).rejects.toThrow(/leader/);

    const inventory = async () => {
      await A.startInventory();
      await until(() => all.every((m) => m.run.state === 'compared'));
    };
    const sync = async (plan: ReturnType<CloudMember['run']['planPreset']>) => {
      await A.run.synchronize(plan);
      await until(() => all.every((m) => m.run.state === 'done' && m.run.results.size === all.length));
      for (const m of all) expect(m.run.results.get(m.session.self)!.failed).toEqual([]);
    };

    await inventory();
    expect(B.run.comparison!.sources).toEqual(['A1', 'B1']);
    await sync(A.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    const { ['docs/debug.log']: _log, ...withoutLog } = files(a);
    expect(files(b)).toEqual(withoutLog); // the leader's exclusion applied on every member

    // A newcomer joins mid-way: it gets the leader's settings when its channel opens, before any inventory.
    const C = await CloudMember.join(ports('C'), { sessionId: A.session.sessionId, password: A.session.password });
    C.setSources([{ source: c, id: 'src-c' }]);
    all.push(C);
    await until(connected);
    await until(() => C.settings.exclusionPatterns.length === 1);
    expect(C.settings).toEqual(A.settings);
    expect(C.session.members.map((m) => m.letter)).toEqual(['A', 'B', 'C']);

    await inventory();
    expect(new Set(all.map((m) => JSON.stringify(m.run.comparison)))).toHaveLength(1);
    expect(C.run.comparison!.sources).toEqual(['A1', 'B1', 'C1']);
    await sync(A.run.planPreset({ kind: 'mirror', from: 'A1', to: 'C1' }));
    expect(files(c)).toEqual(withoutLog);
    expect(C.run.counters.pulledBytes).toBeGreaterThan(400_000); // from A, not through anyone

    // Two-way: one round records the base, then edits on every member meet.
    await inventory();
    await sync(A.run.planPreset({ kind: 'two-way' }));
    a.writeFile('top.txt', 'top edited on A');
    b.writeFile('docs/new-on-b.txt', 'from B');
    c.delete('docs/a.txt');
    await inventory();
    expect(A.run.hasBase).toBe(true);
    const plan = A.run.planPreset({ kind: 'two-way' });
    expect(plan.refusals).toEqual([]);
    await sync(plan);
    const { ['docs/debug.log']: _again, ...expected } = files(a);
    expect(expected['docs/new-on-b.txt']).toBeTruthy();
    expect(expected['docs/a.txt']).toBeUndefined();
    expect(files(b)).toEqual(expected);
    expect(files(c)).toEqual(expected);
    expect(all.map((m) => m.session.phase)).toEqual(['synced', 'synced', 'synced']);
  }, 60_000);
});
