import { describe, expect, it } from 'vitest';
import { BUNDLE_KIND, MAX_BUNDLE_BYTES, decodeBundle, encodeBundle, isBundle } from './bundle.ts';

const frame = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('bundle', () => {
  it('carries frames in order and gives them back as sent', () => {
    const frames = [frame(32, 1), frame(100, 2), frame(4000, 3)];
    const bundle = encodeBundle(frames);
    expect(bundle[0]).toBe(BUNDLE_KIND);
    expect(isBundle(bundle)).toBe(true);
    expect(decodeBundle(bundle)).toEqual(frames);
  });

  it('is never mistaken for a sealed frame, whose first byte is its version (1)', () => {
    expect(isBundle(Uint8Array.of(1, 0, 0, 0))).toBe(false);
    expect(decodeBundle(Uint8Array.of(1, 0, 0, 0))).toBeNull();
  });

  it('refuses a bundle that does not hold together', () => {
    const good = encodeBundle([frame(40, 7), frame(40, 8)]);
    expect(decodeBundle(good.subarray(0, good.length - 1))).toBeNull(); // last frame cut short
    expect(decodeBundle(good.subarray(0, 3))).toBeNull(); // length cut short
    expect(decodeBundle(Uint8Array.of(BUNDLE_KIND))).toBeNull(); // no frame
    const tiny = encodeBundle([frame(40, 7)]);
    tiny.set([0, 0, 0, 31], 1); // under a sealed frame's 32 bytes
    expect(decodeBundle(tiny.subarray(0, 1 + 4 + 31))).toBeNull();
    const past = encodeBundle([frame(40, 7)]);
    past.set([0, 0, 0, 41], 1); // longer than what follows
    expect(decodeBundle(past)).toBeNull();
  });

  it('refuses a message larger than a channel message', () => {
    const big = encodeBundle([frame(MAX_BUNDLE_BYTES - 4, 1)]); // one byte over
    expect(decodeBundle(big)).toBeNull();
    expect(decodeBundle(encodeBundle([frame(MAX_BUNDLE_BYTES - 5, 1)]))).toHaveLength(1); // exactly a channel message
  });
});
