import { describe, expect, it } from 'vitest';
import { partsLength, writeParts } from '../crypto/parts.ts';
import { Outbox } from '../mesh/outbox.ts';
import { MAX_BUNDLE_BYTES, decodeBundle, isBundle } from '../mesh/bundle.ts';
import { decodeBlockPiece } from '../protocol/block-frame.ts';
import { patternBytes } from '../testing/bytes.ts';
import { PiecePacker } from './piece-packer.ts';

/**
 * Hands `blocks` to a real outbox as the block server does (a block's pieces at once, the channel backed up so frames
 * queue), with a stand-in seal (16-byte header, 16-byte tag, as core/crypto's), and returns the channel messages.
 */
async function send(blocks: Uint8Array[]): Promise<Uint8Array[]> {
  const messages: Uint8Array[] = [];
  const outbox = new Outbox({
    channel: { signal() {}, close() {}, send: (m) => messages.push(m) },
    seal: async (d) => {
      const out = new Uint8Array(partsLength(d) + 32);
      writeParts(d, out, 16);
      return out;
    },
    timers: { after: () => () => undefined } as never,
    onStall() {}, onError() {}, onShrink() {},
  });
  const packer = new PiecePacker();
  const done = blocks.flatMap((block, index) => packer.pieces(7, index, block).map((piece) => outbox.send(piece).done));
  await Promise.all(done);
  return messages;
}

const same = (a: Uint8Array[], b: Uint8Array[]) => a.length === b.length && a.every((x, i) => Buffer.from(x).equals(Buffer.from(b[i]!)));

/** The blocks the messages carry, put together from their pieces. */
function received(messages: Uint8Array[], count: number): Uint8Array[] {
  const out: Uint8Array[] = Array.from({ length: count }, () => new Uint8Array(0));
  for (const m of messages) {
    expect(m.length).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
    for (const frame of isBundle(m) ? decodeBundle(m)! : [m]) {
      const piece = decodeBlockPiece(frame.subarray(16, frame.length - 16))!;
      if (out[piece.index]!.length !== piece.length) out[piece.index] = new Uint8Array(piece.length);
      out[piece.index]!.set(piece.bytes, piece.offset);
    }
  }
  return out;
}

describe('PiecePacker', () => {
  it('256 KiB blocks in a row take about one channel message each, not two', async () => {
    const blocks = Array.from({ length: 40 }, (_, i) => patternBytes(256 * 1024, i));
    const messages = await send(blocks);
    expect(messages.length).toBeLessThanOrEqual(41);
    expect(same(received(messages, 40), blocks)).toBe(true);
  });

  it('two 128 KiB blocks share a message', async () => {
    const blocks = Array.from({ length: 40 }, (_, i) => patternBytes(128 * 1024, i));
    const messages = await send(blocks);
    expect(messages.length).toBeLessThanOrEqual(21);
    expect(same(received(messages, 40), blocks)).toBe(true);
  });

  it('small blocks of any size fill messages and come back whole, empty ones included', async () => {
    const sizes = Array.from({ length: 300 }, (_, i) => (i % 37 === 0 ? 0 : 1 + ((i * 7919) % 65_536)));
    const blocks = sizes.map((n, i) => patternBytes(n, i));
    const messages = await send(blocks);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(messages.length).toBeLessThanOrEqual(Math.ceil(total / (MAX_BUNDLE_BYTES - 4096)) + 1);
    expect(same(received(messages, 300), blocks)).toBe(true);
  });
});
