/** Several sealed frames in one data-channel message (issue 16): each send into the WebRTC stack has a fixed cost, so small frames travel together. */
import { readU32be } from '../crypto/bytes.ts';
import { partsLength, writeParts, type Parts, type Scratch } from '../crypto/parts.ts';

/**
 * First byte of a bundle. A single sealed frame starts with its version byte (1, core/crypto README "Frames"), so the
 * first byte of a channel message tells the two apart.
 */
export const BUNDLE_KIND = 0x80;
/** Bytes before each frame of a bundle: its length, u32 big-endian. */
const LENGTH_BYTES = 4;
/**
 * The largest channel message a bundle makes: Chromium's a=max-message-size (262144), which also bounds a lone frame
 * (a block piece's sealed frame is exactly that size, block-frame.ts).
 */
export const MAX_BUNDLE_BYTES = 256 * 1024;
/** The smallest sealed frame: header (16) ‖ tag (16), an empty plaintext. */
const MIN_FRAME_BYTES = 32;

/** Bytes `frames` take in one bundle. */
export function bundleBytes(frames: readonly Parts[]): number {
  let total = 1;
  for (const f of frames) total += LENGTH_BYTES + partsLength(f);
  return total;
}

/** Whether a frame of `length` bytes still fits in a bundle that would hold `used` bytes (bundleBytes). */
export function fitsBundle(used: number, length: number): boolean {
  return used + LENGTH_BYTES + length <= MAX_BUNDLE_BYTES;
}

/**
 * `0x80 ‖ (u32be length ‖ frame)…`: the frames in order, each still sealed on its own (counters, epoch, tag). Each
 * frame may come in parts (header, sealed body): joined here, where it is copied anyway. `into`: a buffer reused from
 * message to message, for a channel that copies what it sends before `send` returns.
 */
export function encodeBundle(frames: readonly Parts[], into?: Scratch): Uint8Array {
  const n = bundleBytes(frames);
  const out = into ? into.take(n) : new Uint8Array(n);
  out[0] = BUNDLE_KIND;
  let at = 1;
  for (const f of frames) {
    const length = partsLength(f);
    out[at] = length >>> 24;
    out[at + 1] = (length >>> 16) & 255;
    out[at + 2] = (length >>> 8) & 255;
    out[at + 3] = length & 255;
    at = writeParts(f, out, at + LENGTH_BYTES);
  }
  return out;
}

/** Whether a channel message is a bundle rather than one frame. */
export function isBundle(message: Uint8Array): boolean {
  return message.length > 0 && message[0] === BUNDLE_KIND;
}

/**
 * The frames of a bundle (views into it, in order), or null when it does not hold together: larger than a channel
 * message, a length past its end or under a sealed frame's minimum, or no frame at all. A bundle that is refused is
 * dropped whole; the frames after it then fail their counter check, as after any lost frame.
 */
export function decodeBundle(message: Uint8Array): Uint8Array[] | null {
  if (!isBundle(message) || message.length > MAX_BUNDLE_BYTES) return null;
  const frames: Uint8Array[] = [];
  let at = 1;
  while (at < message.length) {
    if (at + LENGTH_BYTES > message.length) return null;
    const length = readU32be(message, at);
    at += LENGTH_BYTES;
    if (length < MIN_FRAME_BYTES || at + length > message.length) return null;
    frames.push(message.subarray(at, at + length));
    at += length;
  }
  return frames.length > 0 ? frames : null;
}
