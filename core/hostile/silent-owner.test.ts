/**
 * A file's owner takes the receiver's block requests and never answers them: no piece, no `blocks-error`, its channel
 * open and read (so the mesh's stall check, which watches what we send, sees nothing wrong). The receiver's copy
 * awaited those blocks forever, so its share never ended, the leader never had its result and the run (every later
 * continuous round too) stayed under way until someone pressed Stop (security.md, hostile table 18); one that trickled a
 * tiny piece (or a `busy`) every 59 s did the same, each one resetting that deadline (table 21).
 */
import { describe, expect, it } from 'vitest';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { patternBytes } from '../testing/bytes.ts';
import type { BlocksGetMessage } from '../protocol/run-messages.ts';
import type { CopyAction } from '../plan/types.ts';
import { BlockPuller, type TransferCounters } from '../transfer/remote-blocks.ts';
import { OWNER_SILENCE_MS } from '../transfer/owner-watch.ts';
import { MemFs } from '../testing/memfs.ts';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { cloudMembers, inventoryAll, settle, until } from '../../signaling/testing/cloud-members.ts';

const BS = 128 * 1024;
const hex = (n: number) => n.toString(16).padStart(64, '0');
const copy = (path: string, blocks: number): CopyAction => ({
  type: 'copy', from: 'A1', target: 'B1', path, targetPath: path, size: blocks * BS, hash: hex(0), blockSize: BS,
  blocks: Array.from({ length: blocks }, (_, i) => hex(i + 1)), replaces: null,
});

function puller() {
  const clock = new ManualClock();
  const asked: BlocksGetMessage[] = [];
  const counters: TransferCounters = { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 };
  const p = new BlockPuller({
    run: 's1', ownerOf: () => 'owner', localSources: new Map(), localIndex: new Map(), hasher: new NobleHasher(), counters,
    windowBytes: BS, timers: clock, send: async (_peer, m) => void asked.push(m),
  });
  return { p, clock, asked };
}

/** What block `i` of `reader` came to: 'waiting', 'whole' or the error's message. */
function watch(reader: { block(i: number): Promise<unknown> }, i: number): () => Promise<string> {
  let outcome = 'waiting';
  reader.block(i).then(() => (outcome = 'whole'), (e: Error) => (outcome = e.message));
  return async () => {
    for (let k = 0; k < 5; k++) await Promise.resolve();
    return outcome;
  };
}

describe('an owner that takes block requests and never answers', () => {
  it('its blocks fail once it said nothing for the deadline, and later copies from it fail at once', async () => {
    const t = puller();
    const first = watch(await t.p.open(copy('f.bin', 1)), 0);
    await Promise.resolve();
    expect(t.asked).toHaveLength(1);
    t.clock.advance(OWNER_SILENCE_MS - 1);
    expect(await first()).toBe('waiting');
    t.clock.advance(OWNER_SILENCE_MS + 1);
    expect(await first()).toMatch(/no answer from its owner/);
    // The next file from that owner does not wait another deadline: it fails now, nothing more asked.
    const second = watch(await t.p.open(copy('g.bin', 1)), 0);
    expect(await second()).toMatch(/no answer from its owner/);
    expect(t.asked).toHaveLength(1);
  });

  it('an owner that keeps answering is never cut, however long the whole copy takes', async () => {
    const t = puller();
    const data = patternBytes(BS, 3);
    const reader = await t.p.open(copy('big.bin', 8));
    for (let i = 0; i < 8; i++) {
      const outcome = watch(reader, i);
      await Promise.resolve();
      const m = t.asked.at(-1)!;
      // Each block comes in two halves, 50 s apart: 7 minutes in all, never a minute of silence.
      t.clock.advance(50_000);
      t.p.onPiece('owner', { req: m.req, index: i, offset: 0, length: BS, bytes: data.subarray(0, BS / 2) });
      t.clock.advance(50_000);
      t.p.onPiece('owner', { req: m.req, index: i, offset: BS / 2, length: BS, bytes: data.subarray(BS / 2) });
      expect(await outcome()).toBe('whole');
    }
  });

  it('an owner that trickles a small piece every 50 s is cut at the first minute that brought under 64 KiB', async () => {
    const t = puller();
    const data = patternBytes(BS, 4);
    const outcome = watch(await t.p.open(copy('f.bin', 1)), 0);
    await Promise.resolve();
    const m = t.asked[0]!;
    // 1 KiB every 50 s: 128 pieces would take the block 107 minutes, each minute one more piece and a fresh deadline.
    for (let k = 0; k < 4; k++) {
      t.clock.advance(50_000);
      t.p.onPiece('owner', { req: m.req, index: 0, offset: k * 1024, length: BS, bytes: data.subarray(k * 1024, (k + 1) * 1024) });
    }
    expect(await outcome()).toMatch(/no answer from its owner .*64 KiB/);
    expect(t.asked).toHaveLength(1);
  });

  it('small files over a long round trip are progress: 130 files of 100 bytes, each answered 0.5 s after it was asked', async () => {
    const t = puller();
    // Another block stays awaited all along, so the owner's watch never goes idle: only the small files count.
    const long = watch(await t.p.open(copy('long.bin', 1)), 0);
    const small = patternBytes(100, 6);
    for (let k = 0; k < 130; k++) {
      const action: CopyAction = { ...copy(`s${k}.txt`, 1), size: 100 };
      const outcome = watch(await t.p.open(action), 0);
      await Promise.resolve();
      t.clock.advance(500);
      t.p.onPiece('owner', { req: t.asked.at(-1)!.req, index: 0, offset: 0, length: 100, bytes: small });
      expect(await outcome()).toBe('whole');
    }
    expect(await long()).toBe('waiting');
  });

  it('`busy` answers bring no bytes: an owner that answers nothing else is cut as a silent one', async () => {
    const t = puller();
    const outcome = watch(await t.p.open(copy('f.bin', 1)), 0);
    await Promise.resolve();
    for (let k = 0; k < 3; k++) {
      t.clock.advance(OWNER_SILENCE_MS - 1000);
      t.p.onError('owner', { type: 'blocks-error', v: 1, run: 's1', req: t.asked.at(-1)!.req, code: 'busy' });
    }
    expect(await outcome()).toMatch(/no answer from its owner/);
  });
});

describe('over the mesh: a member that never serves its files', () => {
  it('the receiver fails those copies after the deadline, reports its share, and the run ends', async () => {
    const clock = new ManualClock(Date.now());
    const world = inMemoryWorld({ clock });
    const a = MemFs.from({ 'one.bin': patternBytes(300_000, 1), 'two.bin': patternBytes(200_000, 2) }, { name: 'A' });
    const b = MemFs.from({ 'kept.txt': 'mine' }, { name: 'B' });
    const all = await cloudMembers([a, b], { world });
    // A, the owner, takes every block request and answers none of them.
    const emit = all[0]!.session.emit.bind(all[0]!.session) as (...args: unknown[]) => unknown;
    (all[0]!.session as unknown as { emit: (...args: unknown[]) => unknown }).emit = (...args) =>
      args[0] === 'run.message' && (args[2] as { type: string }).type === 'blocks-get' ? false : emit(...args);
    await inventoryAll(all);
    await all[0]!.run.synchronize(all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    await until(() => all[1]!.run.state === 'syncing' || all[1]!.run.state === 'done');
    await settle();
    expect(all[1]!.run.results.size).toBe(1); // the leader's own (nothing to do); B still waits
    clock.advance(2 * OWNER_SILENCE_MS + 1);
    await until(() => all.every((m) => m.run.state === 'done' && m.run.results.size === 2));
    const result = all[1]!.run.results.get(all[1]!.session.self)!;
    expect(result.failed.map((f) => [f.code, f.message])).toEqual([
      ['io', expect.stringMatching(/no answer from its owner/)], ['io', expect.stringMatching(/no answer from its owner/)],
    ]);
    expect(b.readFile('one.bin')).toBeUndefined();
    // No half file left behind.
    expect(Object.keys(b.snapshot({ under: '.quintet/tmp' }))).toEqual([]);
  }, 30_000);
});
