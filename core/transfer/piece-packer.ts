/** Sizes block pieces so that consecutive ones fill the mesh's channel messages (core/mesh/bundle.ts): no tiny tail of a block travels alone. */
import { BLOCK_FRAME_HEADER, MAX_PIECE_BYTES, blockPieceParts } from '../protocol/block-frame.ts';
import { MAX_BUNDLE_BYTES } from '../mesh/bundle.ts';

/** A sealed piece's bytes beyond its payload: the piece header and the frame's header and tag. */
const FRAME_OVERHEAD = BLOCK_FRAME_HEADER + 32;
/** A bundle's first byte, and each frame's length before it. */
const BUNDLE_HEAD = 1;
const LENGTH_BYTES = 4;
/** A message with less room than this left is taken as full: a piece this small is not worth a frame of its own. */
const MIN_PIECE = 4 * 1024;

/**
 * Follows the channel messages the outbox will make of the pieces handed to it one after another (it puts the frames
 * queued behind one into one bundle as far as they fit) and cuts each block so that its first piece fills the message
 * under way. A 256 KiB block used to go as a full message and a 49-byte one (each channel send costs the same under
 * Node whatever its size); cut this way, blocks in a row take about one message each, and two 128 KiB blocks share
 * one. Where other frames come in between, or the outbox sends before the next piece is queued, the guess is wrong
 * and costs nothing but a message less full: every piece still carries its offset (block-frame.ts).
 */
export class PiecePacker {
  /** Bytes of the message under way as the outbox would bundle it, 0 when the next frame starts a new one. */
  #fill = 0;

  /** The pieces of block `index` of request `req` (or of its DEFLATE stream: `deflated`), each as its header and a view of the block (blockPieceParts). */
  pieces(req: number, index: number, block: Uint8Array, deflated = false): [Uint8Array, Uint8Array][] {
    const out: [Uint8Array, Uint8Array][] = [];
    let offset = 0;
    do {
      let room = this.#fill > 0 ? MAX_BUNDLE_BYTES - this.#fill - LENGTH_BYTES - FRAME_OVERHEAD : MAX_PIECE_BYTES;
      if (room < Math.min(MIN_PIECE, block.length - offset)) {
        this.#fill = 0;
        room = MAX_PIECE_BYTES;
      }
      const n = Math.min(block.length - offset, room);
      out.push(blockPieceParts({ req, index, offset, length: block.length, bytes: block.subarray(offset, offset + n), deflated }));
      this.#fill += (this.#fill > 0 ? LENGTH_BYTES : BUNDLE_HEAD + LENGTH_BYTES) + n + FRAME_OVERHEAD;
      if (this.#fill > MAX_BUNDLE_BYTES - LENGTH_BYTES - FRAME_OVERHEAD) this.#fill = 0; // full: the next starts anew
      offset += n;
    } while (offset < block.length);
    return out;
  }
}
