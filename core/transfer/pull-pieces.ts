/** What the puller (remote-blocks.ts) keeps of pieces: request numbers no late piece can take for another, and a block's pieces put in order. */
import type { BlockPiece } from '../protocol/block-frame.ts';

/**
 * Request numbers, shared by every puller of this page or process. A piece names its request by number alone (no run):
 * numbered from 1 in each share, a late piece of a stopped share (still on a lane behind what came on lane 0) was
 * taken for the next share's request of the same number, from the same owner (stale-answers.test.ts). u32, as in the
 * piece's header; 0 is never used.
 */
let lastRequest = 0;

export function nextRequestNumber(): number {
  lastRequest = lastRequest >= 0xffff_ffff ? 1 : lastRequest + 1;
  return lastRequest;
}

/** A block's pieces in offset order when they cover its `carried` bytes exactly, end to end; null when they overlap. */
export function inOrder(pieces: BlockPiece[], carried: number): Uint8Array[] | null {
  if (pieces.length === 1) return pieces[0]!.offset === 0 && pieces[0]!.bytes.length === carried ? [pieces[0]!.bytes] : null;
  const sorted = [...pieces].sort((a, b) => a.offset - b.offset);
  let at = 0;
  for (const p of sorted) {
    if (p.offset !== at) return null;
    at += p.bytes.length;
  }
  return at === carried ? sorted.map((p) => p.bytes) : null;
}
