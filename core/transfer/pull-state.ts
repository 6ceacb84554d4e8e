/** What the puller (remote-blocks.ts) holds per request: its blocks' slots, and a block put together from its pieces, which lanes may deliver in any order. */
import type { BlockPiece } from '../protocol/block-frame.ts';
import type { BlocksGetMessage } from '../protocol/run-messages.ts';
import type { Parts } from '../crypto/parts.ts';

/** One block of a request, as its pieces come. */
export interface Slot {
  length: number;
  /** Set by the first piece: whether the block comes compressed, and the length of what its pieces carry. */
  deflated: boolean | null;
  carried: number;
  /** The pieces received, as they came (lanes may reorder them): put in order once all are here. */
  pieces: BlockPiece[];
  got: number;
  promise: Promise<Parts>;
  resolve(bytes: Parts): void;
  reject(error: Error): void;
}

/** One request of the puller's, until its last block came or it failed. */
export interface Pending {
  peer: string;
  path: string;
  slots: Map<number, Slot>;
  /** The request as sent: asked again after a `busy` answer. */
  message: BlocksGetMessage;
  /** `busy` answers to this request in a row. */
  busy: number;
  /** Times its blocks were asked again after a lane loss (MAX_REASKS at most). */
  reasked: number;
  /** No piece of it came yet: the owner may still hold it in its queue (counted in BlockPuller #asked). */
  waiting?: boolean;
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
