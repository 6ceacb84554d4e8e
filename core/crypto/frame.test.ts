/** Data-channel frames: order, replay, reorder, truncation, forgery, wrong key, wrong epoch, and the in-order pipeline. */
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, FrameOpener, FrameSealer } from './frame.ts';
import { deriveChannelKey, deriveLaneKey, type EpochSecret } from './key-schedule.ts';
import { sealInOrder } from './seal-pipeline.ts';
import { webcrypto } from 'node:crypto';
import type { SubtleLike } from './subtle.ts';
import type { Random } from '../ports.ts';
import { utf8 } from './bytes.ts';

/** Node's real WebCrypto and CSPRNG behind the ports, as the edges pass them. */
const subtle = webcrypto.subtle as unknown as SubtleLike;
const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };

const A = '0123456789abcdef';
const B = 'fedcba9876543210';

async function pair(secret: EpochSecret = { sessionKey: new Uint8Array(32).fill(7), sessionId: '482-KQT-913', epoch: 3 }) {
  const sealer = await FrameSealer.create(subtle, await deriveChannelKey(subtle, secret, A, B), secret.epoch);
  const opener = await FrameOpener.create(subtle, await deriveChannelKey(subtle, secret, A, B), secret.epoch);
  return { sealer, opener, secret };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('frames', () => {
  it('round-trips in order, header = version, epoch, counter', async () => {
    const { sealer, opener } = await pair();
    for (let i = 0; i < 5; i++) {
      const f = await sealer.seal(utf8(`m${i}`));
      expect([...f.subarray(0, 8)]).toEqual([1, 0, 0, 0, 0, 0, 0, 3]);
      expect(f[15]).toBe(i);
      const r = await opener.open(f);
      expect(r).toMatchObject({ ok: true, counter: i });
      if (r.ok) expect(text(r.plaintext)).toBe(`m${i}`);
    }
  });

  it('rejects a replayed frame', async () => {
    const { sealer, opener } = await pair();
    const f0 = await sealer.seal(utf8('a'));
    expect((await opener.open(f0)).ok).toBe(true);
    expect(await opener.open(f0)).toEqual({ ok: false, reason: 'replay', counter: 0 });
  });

  it('rejects a reordered frame, then accepts the right one', async () => {
    const { sealer, opener } = await pair();
    const f0 = await sealer.seal(utf8('a'));
    const f1 = await sealer.seal(utf8('b'));
    expect(await opener.open(f1)).toEqual({ ok: false, reason: 'out-of-order', counter: 1 });
    expect((await opener.open(f0)).ok).toBe(true);
    expect((await opener.open(f1)).ok).toBe(true);
  });

  it('rejects truncated frames (short header, cut tag, cut ciphertext)', async () => {
    const { sealer, opener } = await pair();
    const f = await sealer.seal(utf8('hello world, a longer frame'));
    expect(await opener.open(f.subarray(0, FRAME_HEADER_BYTES + 15))).toEqual({ ok: false, reason: 'too-short' });
    expect(await opener.open(f.subarray(0, f.length - 1))).toMatchObject({ ok: false, reason: 'auth-failed' });
    expect(await opener.open(f.subarray(0, f.length - 12))).toMatchObject({ ok: false, reason: 'auth-failed' });
    expect((await opener.open(f)).ok).toBe(true); // nothing advanced on failure
  });

  it('rejects a forged tag, altered ciphertext and an altered header', async () => {
    const { sealer, opener } = await pair();
    const f = await sealer.seal(utf8('hello'));
    for (const i of [f.length - 1, FRAME_HEADER_BYTES, 2]) {
      const bad = f.slice();
      bad[i]! ^= 0x80;
      const r = await opener.open(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(i === 2 ? 'bad-version' : 'auth-failed').toBe(r.reason);
    }
    expect((await opener.open(f)).ok).toBe(true);
  });

  it('rejects frames under a wrong key: another session key, the other direction, another pair', async () => {
    const { sealer } = await pair();
    const f = await sealer.seal(utf8('x'));
    const secret = { sessionKey: new Uint8Array(32).fill(8), sessionId: '482-KQT-913', epoch: 3 };
    const otherKey = await FrameOpener.create(subtle, await deriveChannelKey(subtle, secret, A, B), 3);
    expect(await otherKey.open(f)).toMatchObject({ ok: false, reason: 'auth-failed' });
    const same = { ...secret, sessionKey: new Uint8Array(32).fill(7) };
    const reverse = await FrameOpener.create(subtle, await deriveChannelKey(subtle, same, B, A), 3);
    expect(await reverse.open(f)).toMatchObject({ ok: false, reason: 'auth-failed' });
    const C = '00000000000000cc';
    const otherPair = await FrameOpener.create(subtle, await deriveChannelKey(subtle, same, A, C), 3);
    expect(await otherPair.open(f)).toMatchObject({ ok: false, reason: 'auth-failed' });
  });

  it('lane keys (issue 16): each lane and direction its own key and IV, none equal to the channel key; a frame opens on its lane only', async () => {
    const secret = { sessionKey: new Uint8Array(32).fill(7), sessionId: '482-KQT-913', epoch: 3 };
    const keys = [await deriveChannelKey(subtle, secret, A, B)];
    for (const lane of [1, 2, 3]) keys.push(await deriveLaneKey(subtle, secret, A, B, lane), await deriveLaneKey(subtle, secret, B, A, lane));
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(new Set(keys.map((k) => hex(k.key))).size).toBe(keys.length);
    expect(new Set(keys.map((k) => hex(k.iv))).size).toBe(keys.length);
    const lane1 = await FrameSealer.create(subtle, await deriveLaneKey(subtle, secret, A, B, 1), 3);
    const f = await lane1.seal(utf8('piece'));
    for (const other of [keys[0]!, await deriveLaneKey(subtle, secret, A, B, 2), await deriveLaneKey(subtle, secret, B, A, 1)]) {
      expect(await (await FrameOpener.create(subtle, other, 3)).open(f)).toMatchObject({ ok: false, reason: 'auth-failed' });
    }
    expect(await (await FrameOpener.create(subtle, await deriveLaneKey(subtle, secret, A, B, 1), 3)).open(f)).toMatchObject({ ok: true });
    await expect(deriveLaneKey(subtle, secret, A, B, 0)).rejects.toThrow(RangeError);
  });

  it('rejects a frame of another epoch, even with the header rewritten', async () => {
    const { sealer } = await pair();
    const f = await sealer.seal(utf8('x'));
    const secret4 = { sessionKey: new Uint8Array(32).fill(7), sessionId: '482-KQT-913', epoch: 4 };
    const opener4 = await FrameOpener.create(subtle, await deriveChannelKey(subtle, secret4, A, B), 4);
    expect(await opener4.open(f)).toMatchObject({ ok: false, reason: 'wrong-epoch' });
    const rewritten = f.slice();
    rewritten[7] = 4;
    expect(await opener4.open(rewritten)).toMatchObject({ ok: false, reason: 'auth-failed' });
  });

  it('the pipeline keeps several seals in flight and writes frames in order', async () => {
    const { sealer, opener } = await pair();
    const written: Uint8Array[] = [];
    const pipe = sealInOrder({ sealer, depth: 4, write: async (f) => void written.push(f) });
    const sizes = [256 * 1024, 1, 64 * 1024, 0, 200_000, 3, 128 * 1024, 5, 9, 70_000];
    // Pushed without awaiting: order must still hold.
    await Promise.all(sizes.map((n, i) => pipe.push(new Uint8Array(n).fill(i))));
    await pipe.flush();
    expect(written.length).toBe(sizes.length);
    for (let i = 0; i < sizes.length; i++) {
      const r = await opener.open(written[i]!);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.plaintext.length).toBe(sizes[i]);
    }
  });

  // Throughput of this pipeline is measured by bench/engine (npm run bench:engine), never asserted in a test.
  it('the in-order pipeline keeps 8 seals in flight and every 256 KiB frame opens, in order', async () => {
    const { sealer, opener } = await pair();
    const opened: number[] = [];
    const pipe = sealInOrder({ sealer, depth: 8, write: async (f) => { const r = await opener.open(f); if (r.ok) opened.push(r.plaintext[0]!); } });
    for (let i = 0; i < 64; i++) await pipe.push(new Uint8Array(256 * 1024).fill(i));
    await pipe.flush();
    expect(opened).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });
});

describe('key schedule', () => {
  it('keys differ per direction, pair, epoch and session; signal keys are symmetric', async () => {
    const { deriveSignalKey } = await import('./key-schedule.ts');
    const s = { sessionKey: random.bytes(32), sessionId: '482-KQT-913', epoch: 0 };
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const ab = await deriveChannelKey(subtle, s, A, B);
    const ba = await deriveChannelKey(subtle, s, B, A);
    const ab1 = await deriveChannelKey(subtle, { ...s, epoch: 1 }, A, B);
    const abOther = await deriveChannelKey(subtle, { ...s, sessionId: '111-AAA-111' }, A, B);
    const all = [ab, ba, ab1, abOther].map((k) => hex(k.key));
    expect(new Set(all).size).toBe(4);
    expect(ab.key.length).toBe(32);
    expect(ab.iv.length).toBe(12);
    expect(hex(await deriveSignalKey(subtle, s, A, B))).toBe(hex(await deriveSignalKey(subtle, s, B, A)));
    expect(all).not.toContain(hex(await deriveSignalKey(subtle, s, A, B)));
  });
});
