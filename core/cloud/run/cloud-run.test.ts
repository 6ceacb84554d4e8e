import { describe, expect, it } from 'vitest';
import { joinParts } from '../../crypto/parts.ts';
import { inMemoryWorld } from '../../../signaling/testing/in-memory-world.ts';
import { cloudMembers, inventoryAll, syncAll, until, type MeshMember } from '../../../signaling/testing/cloud-members.ts';
import { createHash } from 'node:crypto';
import type { LoopbackNetwork } from '../../testing/loopback-transport.ts';
import { MemFs } from '../../testing/memfs.ts';
import { patternBytes } from '../../testing/bytes.ts';
import type { Rule } from '../../plan/rules-types.ts';
import { isBlockFrame, decodeBlockPiece, encodeBlockPiece } from '../../protocol/block-frame.ts';
import { BUFFER_HIGH } from '../../mesh/mesh.ts';

/** Members on the loopback mesh, one source each (A1, B1, C1), and the mesh itself (to tap, pause or stall it). */
async function members(trees: MemFs[]): Promise<{ net: LoopbackNetwork; all: MeshMember<MemFs>[] }> {
  const world = inMemoryWorld();
  return { net: world.net, all: await cloudMembers(trees, { world }) };
}

/** Byte equality without vitest's deep equality, which takes seconds on a few MiB. */
const same = (x: Uint8Array | undefined, y: Uint8Array | undefined) => x !== undefined && y !== undefined && Buffer.from(x).equals(Buffer.from(y));
const files = (fs: MemFs) => Object.fromEntries(Object.entries(fs.snapshot({ exclude: ['.quintet'] })).map(([p, b]) => [p, b === null ? null : createHash('sha256').update(b).digest('hex')]));

/** Small files for the stop and resume tests: more than an owner has in flight at once (channel, read budget), so a run cut early leaves some behind. */
const FILES = 40;

describe('Cloud run: inventories over the mesh, one comparison, the leader plan, blocks pulled from their owner', () => {
  it('mirror A1 → B1 and C1 across three members, then two-way with edits everywhere; every file equal', async () => {
    const a = MemFs.from({ docs: { 'a.txt': 'alpha', 'big.bin': patternBytes(700_000, 3) }, 'top.txt': 'top', empty: {} }, { name: 'A' });
    const b = MemFs.from({ 'old.txt': 'to be deleted', docs: { 'a.txt': 'stale' } }, { name: 'B' });
    const c = new MemFs({ name: 'C' });
    const { all } = await members([a, b, c]);
    await inventoryAll(all);
    expect(new Set(all.map((m) => JSON.stringify(m.run.comparison)))).toHaveLength(1);
    expect(all[1]!.run.comparison!.sources).toEqual(['A1', 'B1', 'C1']);
    await syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    expect(files(b)).toEqual(files(a));
    expect(Object.keys(b.snapshot({ under: '.quintet/versions' })).some((p) => p.endsWith('/old.txt'))).toBe(true); // kept, as locally
    await inventoryAll(all);
    await syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'C1' }));
    expect(files(c)).toEqual(files(a));
    // Not through the leader: C's blocks came from A; B served nothing it did not own.
    expect(all[2]!.run.counters.pulledBytes).toBeGreaterThan(700_000);

    // Two-way with edits on each member (the base was recorded by the leader after the mirrors).
    await inventoryAll(all);
    await syncAll(all, all[0]!.run.planPreset({ kind: 'two-way' }));
    a.writeFile('top.txt', 'top edited on A');
    b.writeFile('docs/new-on-b.txt', 'from B');
    c.delete('docs/a.txt');
    c.writeFile('c-only/x.bin', patternBytes(300_000, 9));
    await inventoryAll(all);
    const plan = all[0]!.run.planPreset({ kind: 'two-way' });
    expect(plan.refusals).toEqual([]);
    await syncAll(all, plan);
    for (const m of all) expect(m.run.results.get(m.session.self)!.failed).toEqual([]);
    expect(files(b)).toEqual(files(a));
    expect(files(c)).toEqual(files(a));
    expect(a.readFile('docs/new-on-b.txt')).toBeTruthy();
    expect(a.readFile('docs/a.txt')).toBeUndefined();
    expect(b.readFile('top.txt')).toEqual(a.readFile('top.txt'));
  }, 60_000);

  it('delta: one changed block moves one block; the rest is reused from the receiver’s own file', async () => {
    const big = patternBytes(4 * 1024 * 1024, 5);
    const a = MemFs.from({ 'big.bin': big, elsewhere: { 'copy.bin': big } }, { name: 'A' });
    const b = MemFs.from({ elsewhere: { 'copy.bin': big } }, { name: 'B' }); // same blocks under another name
    const { all } = await members([a, b]);
    await inventoryAll(all);
    await syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    expect(same(b.readFile('big.bin'), big)).toBe(true);
    expect(all[1]!.run.counters.pulledBytes).toBe(0); // every block came from elsewhere/copy.bin
    const edited = big.slice();
    edited.fill(7, 2_000_000, 2_000_100); // inside one 128 KiB block
    a.writeFile('big.bin', edited, 99_999);
    await inventoryAll(all);
    const before = all[1]!.run.counters.pulledBytes;
    await syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    expect(same(b.readFile('big.bin'), edited)).toBe(true);
    expect(all[1]!.run.counters.pulledBytes - before).toBe(128 * 1024);
  }, 60_000);

  it('a lying peer: a forged block is refused, the item fails and nothing is written', async () => {
    const a = MemFs.from({ 'good.txt': 'fine', 'bad.bin': patternBytes(300_000, 2) }, { name: 'A' });
    const b = new MemFs({ name: 'B' });
    const { all } = await members([a, b]);
    const send = all[0]!.session.sendBytes.bind(all[0]!.session);
    all[0]!.session.sendBytes = (peer, parts) => {
      const data = joinParts(parts);
      const piece = isBlockFrame(data) ? decodeBlockPiece(data) : null;
      if (piece && piece.length > 100_000 && piece.index === 1) {
        const bytes = piece.bytes.slice();
        bytes[10] = (bytes[10] ?? 0) ^ 1;
        return send(peer, encodeBlockPiece({ ...piece, bytes }));
      }
      return send(peer, data);
    };
    await inventoryAll(all);
    await syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    const result = all[1]!.run.results.get(all[1]!.session.self)!;
    expect(result.failed.map((f) => f.code)).toEqual(['changed']);
    expect(b.readFile('good.txt')).toBeTruthy();
    expect(b.readFile('bad.bin')).toBeUndefined();
    expect(Object.keys(b.snapshot({ under: '.quintet/tmp' }))).toEqual([]);
  }, 30_000);

  it('resume: a run cut by a member leaving keeps no partial file; the re-run moves only what is missing', async () => {
    const tree: Record<string, Uint8Array> = {};
    for (let i = 0; i < FILES; i++) tree[`f${i}.bin`] = patternBytes(200_000, i + 1);
    const a = MemFs.from(tree, { name: 'A' });
    const b = new MemFs({ name: 'B' });
    const { net, all } = await members([a, b]);
    await inventoryAll(all);
    let pieces = 0;
    // Pieces of several files share a channel message (bundles): the 4th large message is about a third of the way.
    net.tap = (from, to, frame) => (from === all[0]!.session.self && frame.length > 100_000 && ++pieces === 4 ? (all[0]!.session.restart(), frame) : frame);
    await all[0]!.run.synchronize(all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    await until(() => all.every((m) => m.session.phase === 'waiting'));
    await until(() => Object.keys(b.snapshot({ under: '.quintet/tmp' })).length === 0);
    const partial = files(b);
    const full = files(a);
    for (const [path, hex] of Object.entries(partial)) expect(hex).toBe(full[path]);
    expect(Object.keys(partial).length).toBeLessThan(FILES);
    net.tap = (_f, _t, frame) => frame;
    const before = all[1]!.run.counters.pulledBytes;
    await inventoryAll(all);
    await syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    expect(files(b)).toEqual(full);
    expect(all[1]!.run.counters.pulledBytes - before).toBe((FILES - Object.keys(partial).length) * 200_000);
  }, 30_000);

  it('backpressure: a stalled channel holds the sender near BUFFER_HIGH, then the transfer completes', async () => {
    const a = MemFs.from({ 'big.bin': patternBytes(12 * 1024 * 1024, 4) }, { name: 'A' });
    const b = new MemFs({ name: 'B' });
    const { net, all } = await members([a, b]);
    await inventoryAll(all);
    net.maxBuffered = 0;
    net.pause();
    const done = syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(net.maxBuffered).toBeLessThanOrEqual(BUFFER_HIGH + 300 * 1024);
    net.resume();
    await done;
    expect(same(b.readFile('big.bin'), a.readFile('big.bin'))).toBe(true);
  }, 60_000);
});

describe('Stop (stop-sync): leader only, nothing partial, the re-run continues', () => {
  const files40 = () => {
    const tree: Record<string, Uint8Array> = {};
    for (let i = 0; i < FILES; i++) tree[`f${i}.bin`] = patternBytes(200_000, i + 1);
    return MemFs.from(tree, { name: 'A' });
  };
  /** A1's content goes wherever it differs: one rule per target (the rules path of the leader's plan, not a preset). */
  const rules: Rule[] = ['B1', 'C1'].map((to) => ({ scope: 'files', mode: 'all', conditions: [{ on: 'content', source: 'A1', op: 'ne', other: to }], action: { do: 'copy', from: 'A1', to } }));
  const partials = (fs: MemFs) => Object.keys(fs.snapshot({ under: '.quintet/tmp' }));

  it('a stop-sync from B is refused by A and C, B cannot send one through its run, and the run completes', async () => {
    const a = files40();
    const [b, c] = [new MemFs({ name: 'B' }), new MemFs({ name: 'C' })];
    const { net, all } = await members([a, b, c]);
    const refused: string[] = [];
    for (const m of [all[0]!, all[2]!]) m.session.on('refused', (_from, type, why) => refused.push(`${m.session.self}:${type}:${why}`));
    let sync = '';
    all[1]!.session.on('run.command', (command, run) => command === 'start-sync' && (sync = run));
    await inventoryAll(all);
    let pieces = 0;
    net.tap = (from, _to, frame) => {
      if (from === all[0]!.session.self && frame.length > 100_000 && ++pieces === 3) void all[1]!.session.broadcastRun({ type: 'stop-sync', v: 1, run: sync });
      return frame;
    };
    await expect(all[1]!.run.stop()).rejects.toThrow(/leader/);
    await syncAll(all, all[0]!.run.planRules({ rules, targeted: [] }));
    expect(refused.sort()).toEqual([`${all[0]!.session.self}:stop-sync:not-leader`, `${all[2]!.session.self}:stop-sync:not-leader`].sort());
    for (const m of all) expect(m.run.results.get(m.session.self)!.stopped).toBeUndefined();
    expect(files(b)).toEqual(files(a));
    expect(files(c)).toEqual(files(a));
  }, 60_000);

  it('A stops mid-way: B and C report it stopped, hold only whole files, and the re-run pulls only what is missing', async () => {
    const a = files40();
    const [b, c] = [new MemFs({ name: 'B' }), new MemFs({ name: 'C' })];
    const { net, all } = await members([a, b, c]);
    await inventoryAll(all);
    let pieces = 0;
    net.tap = (from, _to, frame) => (from === all[0]!.session.self && frame.length > 100_000 && ++pieces === 4 ? (void all[0]!.run.stop(), frame) : frame);
    await syncAll(all, all[0]!.run.planRules({ rules, targeted: [] }));
    const full = files(a);
    let missing = 0;
    for (const [m, fs] of [[all[1]!, b], [all[2]!, c]] as const) {
      const r = m.run.results.get(m.session.self)!;
      expect(r.stopped).toBe(true);
      expect(r.skipped.length).toBeGreaterThan(0);
      expect(r.failed).toEqual([]); // cancelled is not a failure: it is skipped
      await until(() => partials(fs).length === 0);
      const held = files(fs);
      for (const [path, hex] of Object.entries(held)) expect(hex).toBe(full[path]);
      missing += FILES - Object.keys(held).length;
    }
    expect(all.every((m) => m.session.phase === 'synced')).toBe(true); // a stop ends the run; the session goes on
    net.tap = (_f, _t, frame) => frame;
    const before = all[1]!.run.counters.pulledBytes + all[2]!.run.counters.pulledBytes;
    await inventoryAll(all);
    const again = all[0]!.run.planRules({ rules, targeted: [] });
    expect(again.actions).toHaveLength(missing);
    await syncAll(all, again);
    expect(files(b)).toEqual(full);
    expect(files(c)).toEqual(full);
    expect(all[1]!.run.counters.pulledBytes + all[2]!.run.counters.pulledBytes - before).toBe(missing * 200_000);
  }, 60_000);
});

