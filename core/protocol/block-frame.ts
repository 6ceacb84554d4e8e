/** Binary block pieces (issue 6): the one mesh message that is not JSON, so block bytes travel without base64. */
import { readU32be, u32be } from '../crypto/bytes.ts';

/** First byte of a block piece. JSON messages start with `{` (0x7B), so the two never mix. */
export const BLOCK_FRAME_KIND = 0;
/**
 * First byte of a piece of a compressed block (`block-deflate`, sent only to a member that advertises it): the pieces
 * carry the block's raw DEFLATE stream, `length` is that stream's length, and the block's own length is the one the
 * receiver asked for (core/transfer/block-deflate.ts).
 */
export const DEFLATED_FRAME_KIND = 1;
/** kind(1) ‖ req u32 ‖ index u32 ‖ offset u32 ‖ length u32 (the block's, or its compressed stream's). */
export const BLOCK_FRAME_HEADER = 17;
/**
 * Payload of one piece: a data-channel message is at most 256 KiB (Chromium's a=max-message-size:262144), minus the
 * sealed frame's header and tag (32 B) and this header; a 128 KiB block (most files) is one message.
 */
export const MAX_PIECE_BYTES = 256 * 1024 - 32 - BLOCK_FRAME_HEADER;

/** One piece of block `index` of request `req`: `bytes` start at `offset` within a block of `length` bytes. */
export interface BlockPiece {
  req: number;
  index: number;
  offset: number;
  length: number;
  bytes: Uint8Array;
  /** The pieces carry the block's DEFLATE stream (DEFLATED_FRAME_KIND) rather than the block. */
  deflated?: boolean;
}

/** Whether a mesh plaintext is a block piece rather than a JSON message. */
export function isBlockFrame(data: Uint8Array): boolean {
  return data.length > 0 && (data[0] === BLOCK_FRAME_KIND || data[0] === DEFLATED_FRAME_KIND);
}

/** Encodes one piece. */
export function encodeBlockPiece(piece: BlockPiece): Uint8Array {
  const out = new Uint8Array(BLOCK_FRAME_HEADER + piece.bytes.length);
  writeHeader(piece, out);
  out.set(piece.bytes, BLOCK_FRAME_HEADER);
  return out;
}

/**
 * One piece as two parts, its header and its bytes (a view of the block, not copied): the same bytes as
 * encodeBlockPiece, joined only where the frame is sealed (core/crypto/aes-gcm.ts), which copies them anyway.
 */
export function blockPieceParts(piece: BlockPiece): [Uint8Array, Uint8Array] {
  const header = new Uint8Array(BLOCK_FRAME_HEADER);
  writeHeader(piece, header);
  return [header, piece.bytes];
}

function writeHeader(piece: BlockPiece, out: Uint8Array): void {
  out[0] = piece.deflated ? DEFLATED_FRAME_KIND : BLOCK_FRAME_KIND;
  out.set(u32be(piece.req), 1);
  out.set(u32be(piece.index), 5);
  out.set(u32be(piece.offset), 9);
  out.set(u32be(piece.length), 13);
}

/** Decodes one piece, or null when its header does not hold together (dropped and reported by the caller). */
export function decodeBlockPiece(data: Uint8Array): BlockPiece | null {
  if (data.length < BLOCK_FRAME_HEADER || !isBlockFrame(data)) return null;
  const piece: BlockPiece = { req: readU32be(data, 1), index: readU32be(data, 5), offset: readU32be(data, 9), length: readU32be(data, 13), bytes: data.subarray(BLOCK_FRAME_HEADER) };
  if (data[0] === DEFLATED_FRAME_KIND) piece.deflated = true;
  if (piece.offset + piece.bytes.length > piece.length || piece.length > 16 * 1024 * 1024) return null;
  return piece;
}
