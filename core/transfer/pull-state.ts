/** What the puller (remote-blocks.ts) holds per request: its blocks' slots (put in order by pull-pieces.ts inOrder). */
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
