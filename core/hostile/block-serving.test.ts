/** Hostile member, finding 3 of issue 9: a member floods the file owner with `blocks-get` and stops reading. */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { cloudMembers, inventoryAll, syncAll, until, type MeshMember } from '../../signaling/testing/cloud-members.ts';
import { MemFs } from '../testing/memfs.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import type { DirSink } from '../ports.ts';
import { hashFile } from '../inventory/blocks.ts';
import { BUFFER_HIGH } from '../mesh/mesh.ts';
import { decodeBlockPiece, MAX_PIECE_BYTES } from '../protocol/block-frame.ts';
import type { BlocksErrorMessage, BlocksGetMessage } from '../protocol/run-messages.ts';
import { SERVE_BYTES_PER_PEER, SERVE_QUEUE_PER_PEER, SERVE_REPLIES_PER_PEER } from '../transfer/block-server.ts';
import { HELD_PER_PEER } from '../transfer/serve-gate.ts';

/** Waits until `probe` stops changing: the owner has done all it will do with what it received. */
const settle = async (probe: () => string) => {
  let last = '';
  for (let same = 0; same < 20; ) {
    await new Promise((r) => setTimeout(r, 5));
    const now = probe();
    same = now === last ? same + 1 : 0;
    last = now;
  }
};

/** The owner's source, counting the bytes read from it (what it holds in memory until the channel takes them). */
function counting(fs: MemFs): { sink: DirSink; read: { bytes: number } } {
  const read = { bytes: 0 };
  const sink: DirSink = {
    rootKind: fs.rootKind, name: fs.name,
    list: (p) => fs.list(p), stat: (p) => fs.stat(p), access: (m, r) => fs.access(m, r),
    mkdir: (p) => fs.mkdir(p), createWriter: (p) => fs.createWriter(p), remove: (p, o) => fs.remove(p, o),
    open: async (p) => {
      const file = await fs.open(p);
      return { size: file.size, mtime: file.mtime, read: async (o, l) => { const b = await file.read(o, l); read.bytes += b.length; return b; } };
    },
  };
  return { sink, read };
}

const FILE = 2 * 1024 * 1024; // 16 blocks of 128 KiB: an honest request asks for 8 of them (1 MiB)
const REQ = 1_000_000; // the hostile requests' numbers, far from the honest puller's

/** A owns big.bin; B (the hostile member) pulled it honestly through a real mirror run, then speaks for itself. */
async function ownerAndHostile() {
  const w = inMemoryWorld();
  const a = MemFs.from({ 'big.bin': patternBytes(FILE, 3) }, { name: 'A' });
  const { sink, read } = counting(a);
  const b = new MemFs({ name: 'B' });
  const all = await cloudMembers<DirSink>([sink, b], { world: w });
  const [owner, hostile] = all as [MeshMember, MeshMember];
  const runs: string[] = [];
  hostile.session.on('run.command', (command, run) => command === 'start-sync' && runs.push(run));
  const compared = () => inventoryAll(all, `i${Date.now()}-${runs.length}`);
  const mirror = async () => {
    await compared();
    await syncAll(all, owner.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
  };
  await mirror();
  expect(a.readFile('big.bin')).toBeTruthy();

  // What B sees of its own requests: answers and pieces.
  const replies = new Map<number, BlocksErrorMessage['code']>();
  const pieces = new Set<number>();
  hostile.session.on('run.message', (_f, m) => m.type === 'blocks-error' && m.req >= REQ && replies.set(m.req, m.code));
  hostile.session.on('run.bulk', (_f, data) => {
    const piece = decodeBlockPiece(data);
    if (piece && piece.req >= REQ) pieces.add(piece.req);
  });
  let received = 0;
  owner.session.on('run.message', (_f, m) => m.type === 'blocks-get' && m.req >= REQ && received++);
  const problems: string[] = [];
  owner.run.on('problem', (p) => problems.push(p));

  const truth = await hashFile(await a.open('big.bin'), new NobleHasher());
  let req = REQ;
  /** A request as the honest puller makes it (8 blocks from `first`), changed by `lie`. */
  const request = (first: number, lie: Partial<BlocksGetMessage> = {}): BlocksGetMessage => {
    const indices = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => first + k);
    return {
      type: 'blocks-get', v: 1, run: runs.at(-1)!, req: req++, source: 'A1', path: 'big.bin', hash: truth.hash, size: FILE,
      blockSize: truth.blockSize, indices, hashes: indices.map((i) => truth.blocks[i]!), ...lie,
    };
  };
  const send = (m: BlocksGetMessage) => hostile.session.sendRun(owner.session.self, m);
  return { net: w.net, a, b, owner, hostile, read, replies, pieces, problems, truth, runs, request, send, compared, mirror, received: () => received };
}

describe('hostile member — finding 3: blocks-get within a bounded budget per peer, sized from the owner’s own inventory', () => {
  it('lying sizes, block sizes, block hashes and oversized index lists are refused before anything is read', async () => {
    const h = await ownerAndHostile();
    const all16 = Array.from({ length: 16 }, (_, i) => i);
    const lies = [
      h.request(0, { blockSize: FILE, indices: [0], hashes: [h.truth.blocks[0]!] }), // the whole file in one read
      h.request(16, { size: 2 * FILE, hashes: h.truth.blocks.slice(0, 8) }), // blocks past the real end
      h.request(0, { hashes: h.truth.blocks.slice(8, 16) }), // hashes that are not those blocks'
      h.request(0, { indices: all16, hashes: all16.map((i) => h.truth.blocks[i]!) }), // 2 MiB in one request
      h.request(0, { indices: [0, 0, 0, 0], hashes: Array(4).fill(h.truth.blocks[0]!) }), // the same block again and again
    ];
    h.read.bytes = 0;
    for (const m of lies) await h.send(m);
    await until(() => h.replies.size + h.pieces.size >= lies.length);
    await settle(() => `${h.replies.size}/${h.pieces.size}/${h.read.bytes}`);
    expect([...h.pieces]).toEqual([]);
    expect(lies.map((m) => h.replies.get(m.req))).toEqual(lies.map(() => 'refused'));
    expect(h.read.bytes).toBe(0);
    // An honest request still goes through.
    const honest = h.request(8);
    await h.send(honest);
    await until(() => h.pieces.has(honest.req));
    expect(h.replies.get(honest.req)).toBeUndefined();
  }, 60_000);

  it('160 requests, then it stops reading: what the owner holds stays under the caps, and the lies are refused', async () => {
    const h = await ownerAndHostile();
    const b = h.hostile.session.self;
    const lying = Array.from({ length: 20 }, (_, k) => h.request(0, { blockSize: FILE, indices: [0], hashes: [h.truth.blocks[0]!], req: REQ + 10_000 + k }));
    const oversized = Array.from({ length: 20 }, (_, k) => h.request(0, { indices: Array.from({ length: 16 }, (_, i) => i), hashes: h.truth.blocks, req: REQ + 20_000 + k }));
    const flood = Array.from({ length: 120 }, (_, k) => h.request((k % 2) * 8));
    h.net.stopReading(b);
    h.read.bytes = 0;
    h.net.maxBuffered = 0;
    for (const m of [...lying, ...oversized, ...flood]) await h.send(m);
    await until(() => h.received() === 160);
    await settle(() => `${h.read.bytes}/${JSON.stringify(h.owner.run.serving(b))}`);

    // Held in memory because B does not read: the channel's own buffer, and what the server read and not yet sent.
    expect(h.read.bytes).toBeLessThanOrEqual(BUFFER_HIGH + MAX_PIECE_BYTES + SERVE_BYTES_PER_PEER);
    expect(h.net.maxBuffered).toBeLessThanOrEqual(BUFFER_HIGH + 256 * 1024);
    const load = h.owner.run.serving(b);
    expect(load.requests).toBeLessThanOrEqual(SERVE_QUEUE_PER_PEER);
    expect(load.bytes).toBeLessThanOrEqual(SERVE_BYTES_PER_PEER);
    expect(load.replies).toBeLessThanOrEqual(SERVE_REPLIES_PER_PEER);
    expect(load.held).toBe(0);
    expect(h.problems).toContain('blocks-get-flood:B'); // the answers it no longer gets are not dropped silently

    // B reads again: no lie was served; the flood beyond the queue was answered busy (as far as answers were kept).
    h.net.resumeReading(b);
    await until(() => h.owner.run.serving(b).requests === 0);
    await settle(() => `${h.replies.size}/${h.pieces.size}`);
    for (const m of [...lying, ...oversized]) {
      expect(h.pieces.has(m.req)).toBe(false);
      expect(h.replies.get(m.req)).toBe('refused');
    }
    expect(flood.filter((m) => h.replies.get(m.req) === 'busy').length).toBeGreaterThan(0);
  }, 60_000);

  it('small requests in a burst are served in groups within the same budget; the lies among them are refused alone', async () => {
    const h = await ownerAndHostile();
    const b = h.hostile.session.self;
    const one = (index: number, lie: Partial<BlocksGetMessage> = {}) => h.request(0, { indices: [index], hashes: [h.truth.blocks[index]!], ...lie });
    const lies = [
      one(3, { hashes: [h.truth.blocks[4]!] }), // a hash that is not that block's
      one(0, { size: 128 * 1024 }), // a size that is not the file's
      one(0, { blockSize: 64 * 1024 }), // a block size that is not the inventory's
    ];
    const flood = Array.from({ length: 40 }, (_, k) => one(k % 16));
    h.net.stopReading(b);
    h.read.bytes = 0;
    h.net.maxBuffered = 0;
    await Promise.all([...lies, ...flood].map(h.send)); // one burst: bundled, handed to the owner side by side
    await until(() => h.received() === lies.length + flood.length);
    await settle(() => `${h.read.bytes}/${JSON.stringify(h.owner.run.serving(b))}`);
    expect(h.read.bytes).toBeLessThanOrEqual(BUFFER_HIGH + MAX_PIECE_BYTES + SERVE_BYTES_PER_PEER);
    const load = h.owner.run.serving(b);
    expect(load.requests).toBeLessThanOrEqual(SERVE_QUEUE_PER_PEER);
    expect(load.bytes).toBeLessThanOrEqual(SERVE_BYTES_PER_PEER);

    h.net.resumeReading(b);
    await until(() => h.owner.run.serving(b).requests === 0);
    await settle(() => `${h.replies.size}/${h.pieces.size}`);
    for (const m of lies) {
      expect(h.pieces.has(m.req)).toBe(false);
      expect(h.replies.get(m.req)).toBe('refused');
    }
    // Every honest request was served or answered busy (the queue holds SERVE_QUEUE_PER_PEER), none refused.
    for (const m of flood) expect(h.pieces.has(m.req) || h.replies.get(m.req) === 'busy').toBe(true);
    expect(flood.filter((m) => h.pieces.has(m.req)).length).toBeGreaterThanOrEqual(SERVE_QUEUE_PER_PEER - lies.length);
  }, 60_000);

  it('only the run that allowed it: an old run is refused, requests before any plan are held within a bound per peer', async () => {
    const h = await ownerAndHostile();
    const b = h.hostile.session.self;
    const first = h.runs.at(-1)!;
    // Before a plan: requests of a run the owner does not know yet wait, HELD_PER_PEER of them; the rest are busy.
    const early = Array.from({ length: HELD_PER_PEER + 10 }, () => h.request(0, { run: 'not-yet' }));
    for (const m of early) await h.send(m);
    await until(() => h.received() === early.length);
    await until(() => h.replies.size === 10);
    expect(h.owner.run.serving(b).held).toBe(HELD_PER_PEER);
    expect([...h.replies.values()]).toEqual(Array(10).fill('busy'));

    // A new run: the held requests of another run are refused; a request of the run before is refused too.
    h.replies.clear();
    await h.mirror();
    expect(h.runs.at(-1)).not.toBe(first);
    await until(() => h.replies.size === HELD_PER_PEER);
    expect(new Set(h.replies.values())).toEqual(new Set(['refused']));
    expect(h.owner.run.serving(b).held).toBe(0);
    const old = h.request(0, { run: first });
    await h.send(old);
    await until(() => h.replies.has(old.req) || h.pieces.has(old.req));
    expect(h.replies.get(old.req)).toBe('refused');
    expect(h.pieces.has(old.req)).toBe(false);
  }, 60_000);

  it('after stop-sync: the stopped run is served no more', async () => {
    const h = await ownerAndHostile();
    h.b.writeFile('from-b.bin', patternBytes(600_000, 9));
    h.a.writeFile('again.bin', h.a.readFile('big.bin')!); // the plan copies big.bin's content to B once more
    await h.compared();
    // A's own share (from-b.bin, pulled from B) does not complete: B's read of it never returns.
    h.b.onBeforeRead = (path) => (path === 'from-b.bin' ? new Promise<void>(() => undefined) : undefined);
    await h.owner.run.synchronize(h.owner.run.planPreset({ kind: 'two-way' }));
    await until(() => h.runs.length === 2 && h.owner.run.state === 'syncing' && h.hostile.run.state === 'done');
    const before = h.request(0);
    await h.send(before);
    await until(() => h.pieces.has(before.req));
    await h.owner.run.stop();
    await until(() => h.owner.run.state === 'done');
    const after = h.request(0);
    await h.send(after);
    await until(() => h.replies.has(after.req) || h.pieces.has(after.req));
    expect(h.replies.get(after.req)).toBe('refused');
    expect(h.pieces.has(after.req)).toBe(false);
  }, 60_000);
});
