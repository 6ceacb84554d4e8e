/**
 * Answers to a share that is over (stopped: its puller cancelled, the owner's pieces still on their way, on a slow
 * lane behind what it sent on lane 0) reach the next share's puller. Pieces name their request by number alone, and
 * each puller numbered its requests from 1: a late piece of the old request 1 was taken as block 0 of the new request
 * 1 (same owner, same block length), so the new copy read another file's bytes and failed on its hash; a late
 * `blocks-error` failed it outright.
 */
import { describe, expect, it } from 'vitest';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { patternBytes } from '../testing/bytes.ts';
import type { BlocksGetMessage } from '../protocol/run-messages.ts';
import type { CopyAction } from '../plan/types.ts';
import { BlockPuller, type TransferCounters } from './remote-blocks.ts';

const BS = 128 * 1024;
const hex = (n: number) => n.toString(16).padStart(64, '0');
const copy = (path: string): CopyAction => ({
  type: 'copy', from: 'A1', target: 'B1', path, targetPath: path, size: BS, hash: hex(0), blockSize: BS, blocks: [hex(1)], replaces: null,
});

function share(run: string) {
  const asked: BlocksGetMessage[] = [];
  const counters: TransferCounters = { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 };
  const p = new BlockPuller({
    run, ownerOf: () => 'owner', localSources: new Map(), localIndex: new Map(), hasher: new NobleHasher(), counters,
    windowBytes: BS, send: async (_peer, m) => void asked.push(m),
  });
  return { p, asked };
}

async function outcome(block: Promise<unknown>): Promise<unknown> {
  let result: unknown = 'waiting';
  block.then((b) => (result = b), (e: Error) => (result = e.message));
  for (let k = 0; k < 5; k++) await Promise.resolve();
  return result;
}

describe('late answers of an earlier share', () => {
  it('a piece or an error of the stopped share is not taken for the next share’s request', async () => {
    const old = share('r1');
    (await old.p.open(copy('old.bin'))).block(0).catch(() => undefined);
    await Promise.resolve();
    old.p.cancelAll(); // Stop: the owner had already handed this request's piece to a lane
    const next = share('r2');
    const block = (await next.p.open(copy('new.bin'))).block(0);
    await Promise.resolve();
    const stale = old.asked[0]!;
    next.p.onPiece('owner', { req: stale.req, index: 0, offset: 0, length: BS, bytes: patternBytes(BS, 1) });
    next.p.onError('owner', { type: 'blocks-error', v: 1, run: 'r1', req: next.asked[0]!.req, code: 'refused' });
    expect(await outcome(block)).toBe('waiting');
    const fresh = patternBytes(BS, 2);
    next.p.onPiece('owner', { req: next.asked[0]!.req, index: 0, offset: 0, length: BS, bytes: fresh });
    expect(await outcome(block)).toEqual([fresh]);
  });
});
