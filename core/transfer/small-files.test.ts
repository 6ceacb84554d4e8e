import { describe, expect, it } from 'vitest';
import { joinParts } from '../crypto/parts.ts';
import { MemFs } from '../testing/memfs.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import { hashFile } from '../inventory/blocks.ts';
import { decodeBlockPiece } from '../protocol/block-frame.ts';
import type { BlocksErrorMessage, BlocksGetMessage } from '../protocol/run-messages.ts';
import type { CopyAction } from '../plan/types.ts';
import { forEachPool } from '../util/pool.ts';
import { BlockServer, SERVE_BYTES_PER_PEER } from './block-server.ts';
import { ServeGate } from './serve-gate.ts';
import { BlockPuller } from './remote-blocks.ts';

/** Counts what is handed over in one synchronous stretch as one burst (what the mesh sends as one channel message). */
function bursts() {
  const sizes: number[] = [];
  let open = false;
  return {
    sizes,
    add() {
      if (!open) {
        open = true;
        sizes.push(0);
        queueMicrotask(() => (open = false));
      }
      sizes[sizes.length - 1]!++;
    },
  };
}

/** An owner of `n` small files and a puller, wired in memory (each message a macrotask later, as over a channel). */
async function owner(n: number) {
  const hasher = new NobleHasher();
  const fs = new MemFs({ name: 'A' });
  for (let i = 0; i < n; i++) fs.writeFile(`d/f${i}.txt`, patternBytes(1000 + ((i * 7919) % 60_000), i), 1_000 + i);
  const actions: CopyAction[] = [];
  const files = [];
  for (let i = 0; i < n; i++) {
    const path = `d/f${i}.txt`;
    const f = await fs.open(path);
    const h = await hashFile(f, hasher);
    files.push({ kind: 'file' as const, path, size: f.size, mtime: f.mtime, ...h, code: 'A1' });
    actions.push({ type: 'copy', from: 'A1', target: 'B1', path, targetPath: path, size: f.size, hash: h.hash, blockSize: h.blockSize, blocks: h.blocks, replaces: null });
  }
  // Each read completes in its own turn of the event loop, as a disk read does.
  fs.onBeforeRead = () => new Promise<void>((r) => setTimeout(r, 0));
  const requests = bursts();
  const pieces = bursts();
  const errors: [number, BlocksErrorMessage['code']][] = [];
  let puller: BlockPuller | null = null;
  const later = () => new Promise<void>((r) => setTimeout(r, 0));
  const server = new BlockServer({
    hasher,
    sendError: (_p, m) => later().then(() => (errors.push([m.req, m.code]), puller?.onError('owner', m))),
    sendBytes: (_p, d) => {
      pieces.add();
      return later().then(() => puller?.onPiece('owner', decodeBlockPiece(joinParts(d))!));
    },
  });
  server.setFiles(new Map([['A1', fs]]), files);
  const gate = new ServeGate({ server, letterOf: () => 'B' });
  gate.open('s1', new Set(files.map((f) => ServeGate.key('A1', f.hash, 'B'))));
  const asked: BlocksGetMessage[] = [];
  let burst: BlocksGetMessage[] | null = null;
  puller = new BlockPuller({
    run: 's1', ownerOf: () => 'owner', localSources: new Map(), localIndex: new Map(), hasher,
    counters: { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 },
    send: (_p, m) => {
      requests.add();
      asked.push(m);
      // A burst of requests arrives together (one channel message) and is handed on in one go (mesh.ts).
      if (!burst) {
        const arriving: BlocksGetMessage[] = (burst = []);
        queueMicrotask(() => (burst = null));
        void later().then(() => arriving.forEach((r) => gate.receive('puller', r)));
      }
      burst.push(m);
      return Promise.resolve();
    },
  });
  /** Copies every action as apply does: told ahead, 16 at once, each block checked. */
  const copyAll = async () => {
    puller!.expect(actions);
    const got = new Map<string, Uint8Array>();
    const failed = new Map<string, string>();
    await forEachPool(actions, 16, async (a) => {
      try {
        const reader = await puller!.open(a);
        const parts = [];
        for (let i = 0; i < a.blocks.length; i++) parts.push(joinParts(await reader.block(i)));
        got.set(a.path, Buffer.concat(parts));
      } catch (error) {
        failed.set(a.path, (error as { code?: string }).code ?? String(error));
      }
    });
    return { got, failed };
  };
  return { fs, actions, server, requests, pieces, errors, asked, copyAll };
}

describe('many small files between an owner and an honest puller (issue 16)', () => {
  it('requests go out ahead in bursts, the owner serves them in groups, and every file arrives whole', async () => {
    const w = await owner(120);
    const { got, failed } = await w.copyAll();
    expect(failed).toEqual(new Map());
    for (const a of w.actions) expect(Buffer.from(got.get(a.path)!).equals(Buffer.from(w.fs.readFile(a.path)!))).toBe(true);
    // One request per file, never asked twice, sent in bursts rather than one by one.
    expect(w.asked).toHaveLength(120);
    expect(new Set(w.asked.map((m) => m.path)).size).toBe(120);
    expect(w.requests.sizes.length).toBeLessThanOrEqual(120 / 4);
    // Pieces of several files leave together (one channel message for the mesh).
    expect(w.pieces.sizes.length).toBeLessThanOrEqual(120 / 3);
    expect(w.errors).toEqual([]);
    expect(w.server.load('puller')).toEqual({ requests: 0, bytes: 0, replies: 0 });
  }, 30_000);

  it('a file changed since its inventory fails alone: the rest of its group is served', async () => {
    const w = await owner(40);
    w.fs.writeFile('d/f5.txt', patternBytes(w.actions[5]!.size, 99), 5_000); // same size, other bytes and mtime
    const { got, failed } = await w.copyAll();
    expect(failed).toEqual(new Map([['d/f5.txt', 'changed']]));
    expect(got.size).toBe(39);
    expect(w.errors.map(([, code]) => code)).toEqual(['changed']);
    expect(w.server.load('puller')).toEqual({ requests: 0, bytes: 0, replies: 0 });
  }, 30_000);

  it('a group waits for room in the byte budget like a single request', async () => {
    const w = await owner(60);
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, w.server.load('puller').bytes)), 0);
    const { failed } = await w.copyAll();
    clearInterval(watch);
    expect(failed.size).toBe(0);
    expect(most).toBeLessThanOrEqual(SERVE_BYTES_PER_PEER);
  }, 30_000);
});
