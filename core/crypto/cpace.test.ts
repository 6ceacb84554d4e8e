/** CPace-ristretto255 against draft-irtf-cfrg-cpace-21 Appendix B.3, step by step. */
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import vectors from './vectors/cpace-ristretto255.json';
import { fromHex, lvCat, prependLen, toHex, utf8 } from './bytes.ts';
import { getSodium } from './sodium.ts';
import {
  DSI, calculateGenerator, confirmationTag, deriveIsk, generatorString, sampleScalar, scalarMult, scalarMultVfy,
  sidOutput, transcriptIr, transcriptOc,
} from './cpace.ts';
import type { SubtleLike } from './subtle.ts';
import { SeededRandom } from '../testing/seeded-random.ts';

const subtle = webcrypto.subtle as unknown as SubtleLike;
const h = fromHex;
const gen = vectors.generator;
const msg = vectors.messages;

describe('CPace ristretto255 (draft-irtf-cfrg-cpace-21 B.3)', () => {
  it('A.1.2 prepend_len', () => {
    for (const c of vectors.prependLen.cases) expect(toHex(prependLen(h(c.input)))).toBe(c.output);
    expect(toHex(prependLen(new Uint8Array(128)).slice(0, 2))).toBe('8001');
  });

  it('B.3.1 generator string, its hash and the generator g', async () => {
    const sodium = await getSodium();
    expect(toHex(DSI)).toBe(gen.DSI);
    const s = generatorString(h(gen.PRS), h(gen.CI), h(gen.sid));
    expect(toHex(s)).toBe(gen.generatorString);
    expect(s.length - 18 - 9 - 1 - 25 - 17).toBe(gen.zpadLength);
    expect(toHex(sodium.crypto_hash_sha512(s))).toBe(gen.hashResult);
    expect(toHex(calculateGenerator(sodium, h(gen.PRS), h(gen.CI), h(gen.sid)))).toBe(gen.g);
    // The CI of the vectors is lv_cat of the two party identities (§10.1.1).
    expect(toHex(lvCat('A_initiator', 'B_responder'))).toBe(gen.CI);
  });

  it('B.3.2–B.3.4 Ya, Yb and K on both sides', async () => {
    const sodium = await getSodium();
    const g = h(gen.g);
    expect(toHex(scalarMult(sodium, h(msg.ya), g))).toBe(msg.Ya);
    expect(toHex(scalarMult(sodium, h(msg.yb), g))).toBe(msg.Yb);
    expect(toHex(scalarMultVfy(sodium, h(msg.ya), h(msg.Yb))!)).toBe(msg.K);
    expect(toHex(scalarMultVfy(sodium, h(msg.yb), h(msg.Ya))!)).toBe(msg.K);
  });

  it('B.3.5 transcript_ir and ISK (initiator-responder)', async () => {
    const sodium = await getSodium();
    const v = vectors.iskInitiatorResponder;
    const t = transcriptIr(h(msg.Ya), h(msg.ADa), h(msg.Yb), h(msg.ADb));
    expect(toHex(t)).toBe(v.transcriptIr);
    expect(toHex(deriveIsk(sodium, h(gen.sid), h(msg.K), t))).toBe(v.ISK);
    expect(toHex(sodium.crypto_hash_sha512(h(v.hashInput)))).toBe(v.ISK);
  });

  it('B.3.6 transcript_oc and ISK (parallel), B.3.7 sid_output', async () => {
    const sodium = await getSodium();
    const t = transcriptOc(h(msg.Ya), h(msg.ADa), h(msg.Yb), h(msg.ADb));
    expect(toHex(t)).toBe(vectors.iskParallel.transcriptOc);
    expect(toHex(deriveIsk(sodium, h(gen.sid), h(msg.K), t))).toBe(vectors.iskParallel.ISK);
    expect(toHex(sidOutput(sodium, transcriptIr(h(msg.Ya), h(msg.ADa), h(msg.Yb), h(msg.ADb))))).toBe(vectors.sidOutput.ir);
    expect(toHex(sidOutput(sodium, t))).toBe(vectors.sidOutput.oc);
  });

  it('B.3.10 scalar_mult with valid inputs', async () => {
    const sodium = await getSodium();
    const v = vectors.scalarMultValid;
    expect(toHex(scalarMult(sodium, h(v.s), h(v.X)))).toBe(v.result);
    expect(toHex(scalarMultVfy(sodium, h(v.s), h(v.X))!)).toBe(v.result);
  });

  it('B.3.11 invalid encodings and the identity give G.I (null): the run aborts', async () => {
    const sodium = await getSodium();
    const v = vectors.scalarMultInvalid;
    expect(scalarMultVfy(sodium, h(v.s), h(v.Yi1))).toBeNull();
    expect(scalarMultVfy(sodium, h(v.s), h(v.Yi2))).toBeNull();
    expect(scalarMultVfy(sodium, h(v.s), new Uint8Array(31))).toBeNull();
  });

  it('sample_scalar clears the bits above 252 and both sides agree on a fresh run', async () => {
    const sodium = await getSodium();
    const random = new SeededRandom(7);
    const prs = utf8('KQT4M9PX7HWD3RZN');
    const g = calculateGenerator(sodium, prs, utf8('ci'), utf8('sid'));
    for (let i = 0; i < 20; i++) {
      const ya = sampleScalar(random);
      const yb = sampleScalar(random);
      expect(ya[31]! & 0xf0).toBe(0);
      const Ya = scalarMult(sodium, ya, g);
      const Yb = scalarMult(sodium, yb, g);
      expect(toHex(scalarMultVfy(sodium, ya, Yb)!)).toBe(toHex(scalarMultVfy(sodium, yb, Ya)!));
    }
  });

  it('§10.4 confirmation tags differ per side and per ISK', async () => {
    const sodium = await getSodium();
    const isk = h(vectors.iskInitiatorResponder.ISK);
    const ta = await confirmationTag(sodium, subtle, h(gen.sid), isk, h(msg.Ya), h(msg.ADa));
    const tb = await confirmationTag(sodium, subtle, h(gen.sid), isk, h(msg.Yb), h(msg.ADb));
    expect(ta.length).toBe(64);
    expect(toHex(ta)).not.toBe(toHex(tb));
    const other = await confirmationTag(sodium, subtle, h(gen.sid), new Uint8Array(64), h(msg.Ya), h(msg.ADa));
    expect(toHex(other)).not.toBe(toHex(ta));
  });
});
