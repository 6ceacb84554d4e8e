/** The outbox's messages: frames sealed in parts, joined into bundles, in a reused buffer only for a channel that copies on send. */
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { FrameOpener, FrameSealer } from '../crypto/frame.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import { blockPieceParts, decodeBlockPiece } from '../protocol/block-frame.ts';
import { patternBytes } from '../testing/bytes.ts';
import { decodeBundle, isBundle } from './bundle.ts';
import { Outbox } from './outbox.ts';

const subtle = webcrypto.subtle as unknown as SubtleLike;
const channelKey = { key: new Uint8Array(32).fill(5), iv: new Uint8Array(12).fill(6) };

/** Pieces of blocks of several sizes (a tail of a few bytes shares a message with the next block's head) through a real sealer and an outbox. */
async function sendPieces(sendCopies: boolean) {
  const sealer = await FrameSealer.create(subtle, channelKey, 1);
  const sent: Uint8Array[] = [];
  const buffers = new Set<ArrayBufferLike>();
  const outbox = new Outbox({
    // A copying channel keeps only its copy (what RTCDataChannel.send does); the other keeps the caller's buffer.
    channel: { signal() {}, close() {}, sendCopies, send: (m) => (buffers.add(m.buffer), sent.push(sendCopies ? m.slice() : m)) },
    seal: (d) => sealer.sealParts(d),
    timers: { after: () => () => undefined } as never,
    onStall() {}, onError() {}, onShrink() {},
  });
  const blocks = [262_095, 40, 100_000, 128 * 1024, 5, 200_000].map((n, i) => patternBytes(n, i + 1));
  const pieces = blocks.flatMap((block, index) => [blockPieceParts({ req: 1, index, offset: 0, length: block.length, bytes: block })]);
  await Promise.all(pieces.map((p) => outbox.send(p).done));
  // Every frame opens, in counter order, to its piece.
  const opener = await FrameOpener.create(subtle, channelKey, 1);
  const got: Uint8Array[] = [];
  for (const m of sent) for (const frame of isBundle(m) ? decodeBundle(m)! : [m]) {
    const opened = await opener.open(frame);
    expect(opened.ok).toBe(true);
    if (opened.ok) got.push(decodeBlockPiece(opened.plaintext)!.bytes);
  }
  expect(got.map((b) => Buffer.from(b).toString('hex'))).toEqual(blocks.map((b) => Buffer.from(b).toString('hex')));
  return { messages: sent.length, bundles: sent.filter(isBundle).length, buffers: buffers.size };
}

describe('outbox messages', () => {
  it('joins every message of a channel that copies on send in one reused buffer', async () => {
    const { messages, bundles, buffers } = await sendPieces(true);
    expect(messages).toBeGreaterThan(2);
    expect(bundles).toBeGreaterThan(0);
    expect(buffers).toBe(1);
  });

  it('gives each message its own buffer otherwise: what the channel holds is never overwritten', async () => {
    const { messages, buffers } = await sendPieces(false);
    expect(buffers).toBe(messages);
  });
});
