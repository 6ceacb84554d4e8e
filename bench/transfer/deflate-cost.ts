/**
 * What block-deflate costs per block, in one process without a network (issue 16): an owner's BlockServer and a
 * BlockPuller wired in memory serve a file of random bytes and one of text, with compression toward the puller and
 * without, alternated; the time of each pass (median of the rounds) and the bytes that would go on the wire. The CLI
 * ↔ CLI runs (bench/transfer/text.ts) share the machine with everything else; this isolates the serving path.
 *
 *   npx tsx bench/transfer/deflate-cost.ts [--mib 32] [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { joinParts, partsLength } from '../../core/crypto/parts.ts';
import { MemFs } from '../../core/testing/memfs.ts';
import { NobleHasher } from '../../core/testing/noble-hasher.ts';
import { logText, patternBytes } from '../../core/testing/bytes.ts';
import { decodeBlockPiece } from '../../core/protocol/block-frame.ts';
import type { CopyAction } from '../../core/plan/types.ts';
import { BlockServer } from '../../core/transfer/block-server.ts';
import { BlockPuller } from '../../core/transfer/remote-blocks.ts';
import { nodeBlockCodec } from '../../adapters/node/block-codec.ts';

const { values } = parseArgs({ options: { mib: { type: 'string', default: '32' }, rounds: { type: 'string', default: '5' } } });
const size = Number(values.mib) << 20;

/** One pass: every block of `data` served and put back together; the milliseconds and the payload bytes sent. */
async function pass(data: Uint8Array, deflate: boolean): Promise<{ ms: number; wire: number }> {
  const fs = MemFs.from({ 'f.bin': data });
  const hasher = new NobleHasher();
  const opened = await fs.open('f.bin');
  // Block hashes are not checked on this path (the owner's file is unchanged; apply checks on receipt): placeholders.
  const blockSize = 128 * 1024;
  const blocks = Array.from({ length: Math.ceil(data.length / blockSize) }, (_, i) => i.toString(16).padStart(64, '0'));
  const hash = 'f'.repeat(64);
  const file = { kind: 'file' as const, path: 'f.bin', size: data.length, mtime: opened.mtime, blockSize, blocks, hash, code: 'A1' };
  let wire = 0;
  let puller: BlockPuller | null = null;
  const server = new BlockServer({
    hasher, codec: nodeBlockCodec, deflateFor: () => deflate,
    sendError: async (_p, m) => puller?.onError('owner', m),
    sendBytes: async (_p, d) => {
      wire += partsLength(d);
      puller?.onPiece('owner', decodeBlockPiece(joinParts(d))!);
    },
  });
  server.setFiles(new Map([['A1', fs]]), [file]);
  puller = new BlockPuller({
    run: 's', ownerOf: () => 'owner', localSources: new Map(), localIndex: new Map(), hasher, codec: nodeBlockCodec,
    counters: { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 }, windowBytes: 6 << 20,
    send: async (_p, m) => server.handle('puller', m),
  });
  const action: CopyAction = { type: 'copy', from: 'A1', target: 'B1', path: 'f.bin', targetPath: 'f.bin', size: data.length, hash, blockSize, blocks, replaces: null };
  const t0 = performance.now();
  const reader = await puller.open(action);
  for (let i = 0; i < blocks.length; i++) await reader.block(i);
  return { ms: performance.now() - t0, wire };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
for (const [name, data] of [['random', patternBytes(size, 17)], ['text', logText(size, 17)]] as const) {
  const times = { on: [] as number[], off: [] as number[] };
  let wire = { on: 0, off: 0 };
  await pass(data, true); // warm-up
  for (let r = 0; r < Number(values.rounds); r++) {
    for (const deflate of r % 2 === 0 ? [true, false] : [false, true]) {
      const p = await pass(data, deflate);
      times[deflate ? 'on' : 'off'].push(p.ms);
      wire = { ...wire, [deflate ? 'on' : 'off']: p.wire };
    }
  }
  const on = median(times.on);
  const off = median(times.off);
  console.log(`${name}, ${values.mib} MiB: with block-deflate ${on.toFixed(0)} ms (${wire.on} B framed), without ${off.toFixed(0)} ms (${wire.off} B): ${(on / off).toFixed(2)}× the time, ${(wire.on / wire.off).toFixed(3)}× the bytes`);
}
process.exit(0);
