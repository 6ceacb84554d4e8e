/** The join protocol: CPace (initiator = candidate, responder = validator), key confirmation, then the sealed handover. */
import type { Random } from '../ports.ts';
import type { SubtleLike } from './subtle.ts';
import { type Sodium, getSodium } from './sodium.ts';
import { aesGcmOpen, aesGcmSeal, importAesKey } from './aes-gcm.ts';
import { equalBytes, fromB64u, fromUtf8, lvCat, toB64u, utf8 } from './bytes.ts';
import { calculateGenerator, confirmationTag, deriveIsk, sampleScalar, scalarMult, scalarMultVfy, transcriptIr } from './cpace.ts';
import { hkdf } from './hkdf.ts';
import { passwordPrs } from './password.ts';
import { JOIN_PREFIX } from './envelope.ts';
import { SESSION_KEY_BYTES } from './key-schedule.ts';

/** What the validator hands a candidate that proved the password. */
export interface Handover {
  /** The current session key, 32 bytes. */
  sessionKey: Uint8Array;
  /** Its epoch (u32). */
  epoch: number;
  /** Any JSON value the session layer chooses (members, letters, names…). */
  roster: unknown;
  /**
   * Candidate side only, never sent: 32 bytes both ends derive from this join's CPace key (`joinBinding`), so a
   * signature over it (a standing group's hub proof, docs/protocol.md §11) is bound to this one join.
   */
  binding?: Uint8Array;
}

/** Why a join failed. `wrong-password` is the only one a user causes; the others are a broken or hostile peer. */
export type JoinFailure = 'wrong-password' | 'malformed' | 'unexpected-step' | 'invalid-point';

/** One step's outcome. When `send` is present, relay it to the peer (before `deny`/`admit`). */
export type JoinResult<T> =
  | { state: 'pending'; send?: string }
  | { state: 'success'; send?: string; value: T }
  | { state: 'failure'; send?: string; reason: JoinFailure };

/** Inputs both sides share. */
export interface JoinOptions {
  subtle: SubtleLike;
  random: Random;
  /** Canonical session ID. */
  sessionId: string;
  /** The candidate's ephemeral connection ID (the initiator). */
  candidateId: string;
  /** The validator's ephemeral connection ID (the responder). */
  validatorId: string;
  /** The password as typed (candidate) or the session's password (validator); normalized either way. */
  password: string;
}

/** Join messages are `j1.<step>.<b64u payload>`. */
type Step = 'a' | 'b' | 'c' | 'd' | 'x';

function encode(step: Step, payload: Uint8Array): string {
  return `${JOIN_PREFIX}${step}.${toB64u(payload)}`;
}

function decode(body: string): { step: Step; payload: Uint8Array } | null {
  const m = /^j1\.([abcdx])\.([A-Za-z0-9_-]*)$/.exec(body);
  if (m === null) return null;
  const payload = fromB64u(m[2] as string);
  return payload === null ? null : { step: m[1] as Step, payload };
}

/**
 * The CPace inputs of a join (draft-irtf-cfrg-cpace-21):
 * - CI = lv_cat("quintet/join/v1", "candidate " + c, "validator " + v): both party identities with
 *   their roles, initiator first (§10.1.1), kept out of the messages.
 * - sid = lv_cat(sessionId, c, v): unique per pair of connections since IDs are random per
 *   connection (§4.1, §10.9), and binds the run to the session.
 * - ADa / ADb carry the protocol version and role (§4.1 suggests versions there, against downgrade).
 */
function cpaceInputs(o: JoinOptions): { prs: Uint8Array; ci: Uint8Array; sid: Uint8Array; ada: Uint8Array; adb: Uint8Array } {
  return {
    prs: passwordPrs(o.password),
    ci: lvCat('quintet/join/v1', `candidate ${o.candidateId}`, `validator ${o.validatorId}`),
    sid: lvCat(o.sessionId, o.candidateId, o.validatorId),
    ada: utf8('quintet/1 candidate'),
    adb: utf8('quintet/1 validator'),
  };
}

/** The handover's AES-256-GCM key: HKDF-SHA-256 of the ISK (§10.3: process ISK with a KDF before use). */
async function handoverKey(subtle: SubtleLike, isk: Uint8Array) {
  const raw = await hkdf(subtle, { ikm: isk, salt: new Uint8Array(0), info: utf8('quintet/v1/join/handover'), length: 32 });
  return importAesKey(subtle, raw);
}

/** 32 bytes bound to this join's ISK (and so to its sid: session, candidate, validator), for what must be tied to one join. */
function joinBinding(subtle: SubtleLike, isk: Uint8Array): Promise<Uint8Array> {
  return hkdf(subtle, { ikm: isk, salt: new Uint8Array(0), info: utf8('quintet/v1/join/binding'), length: 32 });
}

/** The handover is sealed once under a key used once, so a zero nonce never repeats. */
const HANDOVER_NONCE = new Uint8Array(12);

function handoverAad(o: JoinOptions): Uint8Array {
  return lvCat('quintet/join/v1/handover', o.sessionId, o.candidateId, o.validatorId);
}

/**
 * The candidate's side. `start()` gives the first body (`j1.a`); feed every body the validator
 * sends to `receive()`. Success carries the Handover; failure `wrong-password` when the
 * validator's confirmation tag does not verify (then `send` tells the validator, so it can deny).
 */
export class JoinCandidate {
  private state: 'new' | 'await-b' | 'await-d' | 'done' = 'new';
  private sodium: Sodium | undefined;
  private ya: Uint8Array | undefined;
  private yaPublic: Uint8Array | undefined;
  private isk: Uint8Array | undefined;
  private readonly inputs: ReturnType<typeof cpaceInputs>;

  constructor(private readonly o: JoinOptions) {
    this.inputs = cpaceInputs(o);
  }

  /** §7.2: g = calculate_generator(PRS, CI, sid), ya = sample_scalar(), Ya = ya·g. Returns `j1.a`. */
  async start(): Promise<string> {
    if (this.state !== 'new') throw new Error('JoinCandidate.start called twice');
    const sodium = (this.sodium = await getSodium());
    const g = calculateGenerator(sodium, this.inputs.prs, this.inputs.ci, this.inputs.sid);
    this.ya = sampleScalar(this.o.random);
    this.yaPublic = scalarMult(sodium, this.ya, g);
    this.state = 'await-b';
    return encode('a', this.yaPublic);
  }

  /** Handles `j1.b` (Yb, Tb) then `j1.d` (the sealed handover). */
  async receive(body: string): Promise<JoinResult<Handover>> {
    const msg = decode(body);
    if (msg === null) return this.fail('malformed');
    if (this.state === 'await-b' && msg.step === 'b') return this.onB(msg.payload);
    if (this.state === 'await-d' && msg.step === 'd') return this.onD(msg.payload);
    return this.fail('unexpected-step');
  }

  private async onB(payload: Uint8Array): Promise<JoinResult<Handover>> {
    const sodium = this.sodium!;
    if (payload.length !== 32 + 64) return this.fail('malformed');
    const yb = payload.subarray(0, 32);
    const tb = payload.subarray(32);
    const { sid, ada, adb } = this.inputs;
    // §7.2: K = scalar_mult_vfy(ya, Yb); abort if K = G.I.
    const k = scalarMultVfy(sodium, this.ya!, yb);
    this.ya = undefined;
    if (k === null) return this.fail('invalid-point', encode('x', new Uint8Array(0)));
    const isk = deriveIsk(sodium, sid, k, transcriptIr(this.yaPublic!, ada, yb, adb));
    // §10.4: check B's tag over lv_cat(Yb, ADb) before anything else; a mismatch means another password.
    const expected = await confirmationTag(sodium, this.o.subtle, sid, isk, yb, adb);
    if (!equalBytes(expected, tb)) return this.fail('wrong-password', encode('x', new Uint8Array(0)));
    this.isk = isk;
    this.state = 'await-d';
    const ta = await confirmationTag(sodium, this.o.subtle, sid, isk, this.yaPublic!, ada);
    return { state: 'pending', send: encode('c', ta) };
  }

  private async onD(payload: Uint8Array): Promise<JoinResult<Handover>> {
    const key = await handoverKey(this.o.subtle, this.isk!);
    const binding = await joinBinding(this.o.subtle, this.isk!);
    this.isk = undefined;
    const plain = await aesGcmOpen(this.o.subtle, key, HANDOVER_NONCE, payload, handoverAad(this.o));
    const handover = plain === null ? null : parseHandover(plain);
    if (handover === null) return this.fail('malformed');
    this.state = 'done';
    return { state: 'success', value: { ...handover, binding } };
  }

  private fail(reason: JoinFailure, send?: string): JoinResult<Handover> {
    this.state = 'done';
    this.ya = this.isk = undefined;
    return send === undefined ? { state: 'failure', reason } : { state: 'failure', reason, send };
  }
}

/** Options of the validator: the join inputs plus what to hand over once the candidate proved the password. */
export interface ValidatorOptions extends JoinOptions {
  /**
   * Called only after the candidate's confirmation tag verified: the current key, epoch and roster. `binding` is the
   * value the candidate's side gets as `Handover.binding` (what a hub proof signs).
   */
  handover: (binding: Uint8Array) => Handover | Promise<Handover>;
}

/**
 * The validator's side, one instance per candidate. Feed it the candidate's bodies; success means
 * `send` (the sealed handover, `j1.d`) must be relayed and then `admit{candidate}` sent; failure
 * means `deny{candidate}` (the server counts it against the candidate's address).
 */
export class JoinValidator {
  private state: 'await-a' | 'await-c' | 'done' = 'await-a';
  private isk: Uint8Array | undefined;
  private ya: Uint8Array | undefined;
  private readonly inputs: ReturnType<typeof cpaceInputs>;

  constructor(private readonly o: ValidatorOptions) {
    this.inputs = cpaceInputs(o);
  }

  /** Handles `j1.a` (Ya), then `j1.c` (Ta) or `j1.x` (the candidate found the password wrong). */
  async receive(body: string): Promise<JoinResult<{ candidateId: string }>> {
    const msg = decode(body);
    if (msg === null) return this.fail('malformed');
    if (msg.step === 'x' && this.state === 'await-c') return this.fail('wrong-password');
    if (this.state === 'await-a' && msg.step === 'a') return this.onA(msg.payload);
    if (this.state === 'await-c' && msg.step === 'c') return this.onC(msg.payload);
    return this.fail('unexpected-step');
  }

  private async onA(ya: Uint8Array): Promise<JoinResult<{ candidateId: string }>> {
    if (ya.length !== 32) return this.fail('malformed');
    const sodium = await getSodium();
    const { prs, ci, sid, ada, adb } = this.inputs;
    // §7.2: g, yb, Yb = yb·g; K = scalar_mult_vfy(yb, Ya), abort on G.I; ISK over transcript_ir.
    const g = calculateGenerator(sodium, prs, ci, sid);
    const yb = sampleScalar(this.o.random);
    const ybPublic = scalarMult(sodium, yb, g);
    const k = scalarMultVfy(sodium, yb, ya);
    if (k === null) return this.fail('invalid-point');
    this.isk = deriveIsk(sodium, sid, k, transcriptIr(ya, ada, ybPublic, adb));
    this.ya = ya.slice();
    this.state = 'await-c';
    // §10.4: B's tag over lv_cat(Yb, ADb) goes with Yb. It reveals nothing secret: K depends on the
    // candidate's own password guess, so it confirms or refutes only that one online guess.
    const tb = await confirmationTag(sodium, this.o.subtle, sid, this.isk, ybPublic, adb);
    return { state: 'pending', send: encode('b', new Uint8Array([...ybPublic, ...tb])) };
  }

  private async onC(ta: Uint8Array): Promise<JoinResult<{ candidateId: string }>> {
    const sodium = await getSodium();
    const expected = await confirmationTag(sodium, this.o.subtle, this.inputs.sid, this.isk!, this.ya!, this.inputs.ada);
    if (!equalBytes(expected, ta)) return this.fail('wrong-password');
    // Only now, with the password proven, does anything derived from the session key leave.
    const h = await this.o.handover(await joinBinding(this.o.subtle, this.isk!));
    const key = await handoverKey(this.o.subtle, this.isk!);
    this.isk = undefined;
    const sealed = await aesGcmSeal(this.o.subtle, key, HANDOVER_NONCE, serializeHandover(h), handoverAad(this.o));
    this.state = 'done';
    return { state: 'success', send: encode('d', sealed), value: { candidateId: this.o.candidateId } };
  }

  private fail(reason: JoinFailure): JoinResult<{ candidateId: string }> {
    this.state = 'done';
    this.isk = undefined;
    return { state: 'failure', reason };
  }
}

function serializeHandover(h: Handover): Uint8Array {
  if (h.sessionKey.length !== SESSION_KEY_BYTES) throw new RangeError('session keys are 32 bytes');
  return utf8(JSON.stringify({ v: 1, sessionKey: toB64u(h.sessionKey), epoch: h.epoch, roster: h.roster ?? null }));
}

function parseHandover(bytes: Uint8Array): Handover | null {
  const text = fromUtf8(bytes);
  if (text === null) return null;
  try {
    const o = JSON.parse(text) as { v?: unknown; sessionKey?: unknown; epoch?: unknown; roster?: unknown };
    const key = typeof o.sessionKey === 'string' ? fromB64u(o.sessionKey) : null;
    const epoch = o.epoch;
    if (o.v !== 1 || key === null || key.length !== SESSION_KEY_BYTES) return null;
    if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) return null;
    return { sessionKey: key, epoch, roster: o.roster };
  } catch {
    return null;
  }
}
