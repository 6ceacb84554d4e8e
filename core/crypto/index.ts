/** core/crypto's public surface: the Cloud Session's PAKE join, key schedule, frames, envelopes, passwords. */
export type { SubtleLike, CryptoKeyLike } from './subtle.ts';
export { getSodium, type Sodium } from './sodium.ts';
export { toB64u, fromB64u, utf8, fromUtf8, lvCat, equalBytes } from './bytes.ts';
export { hkdf, hkdfExtract, hkdfExpand } from './hkdf.ts';
export { importAesKey, aesGcmSeal, aesGcmOpen, type AesKey } from './aes-gcm.ts';
export { JoinCandidate, JoinValidator, type Handover, type JoinResult, type JoinFailure, type JoinOptions, type ValidatorOptions } from './join.ts';
export { newSessionKey, deriveSignalKey, deriveChannelKey, SESSION_KEY_BYTES, type EpochSecret, type ChannelKey } from './key-schedule.ts';
export { FrameSealer, FrameOpener, FRAME_HEADER_BYTES, FRAME_TAG_BYTES, type FrameReject, type FrameOpenResult } from './frame.ts';
export { sealInOrder, type SealPipeline, type SealPipelineOptions } from './seal-pipeline.ts';
export { sealEnvelope, openEnvelope, peekEnvelopeEpoch, bodyKind, MAX_ENVELOPE_BODY_CHARS, type EnvelopeReject, type EnvelopeOpenResult } from './envelope.ts';
export { generatePassword, normalizePassword, PASSWORD_BITS, PASSWORD_ALPHABET } from './password.ts';
export { safetyWords, SAFETY_WORD_COUNT } from './safety-words.ts';
export { buildInviteLink, parseInviteLink } from './invite.ts';
