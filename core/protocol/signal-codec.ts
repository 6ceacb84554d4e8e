/** Decoding of signaling frames at the boundary: text → validated message or a precise reason to refuse it. */
import * as v from 'valibot';
import { CLIENT_MESSAGE_TYPES, ClientMessage, SERVER_MESSAGE_TYPES, ServerMessage } from './signal-messages.ts';

/** Why a frame was refused; each maps to a close reason in close-codes.ts. */
export type DecodeFailure = 'malformed-json' | 'unknown-type' | 'invalid-message';

/** The outcome of decoding one frame. */
export type Decoded<T> = { ok: true; message: T } | { ok: false; failure: DecodeFailure };

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Decodes a frame a client sent. Unknown keys are dropped; an unknown `type` is told apart from bad fields. */
export function decodeClientMessage(text: string): Decoded<ClientMessage> {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, failure: 'malformed-json' };
  const value = json.value;
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !CLIENT_MESSAGE_TYPES.includes(type)) return { ok: false, failure: 'unknown-type' };
  const parsed = v.safeParse(ClientMessage, value);
  return parsed.success ? { ok: true, message: parsed.output } : { ok: false, failure: 'invalid-message' };
}

/** Decodes a frame the server sent (for clients): a bad frame is dropped and reported, never trusted. */
export function decodeServerMessage(text: string): Decoded<ServerMessage> {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, failure: 'malformed-json' };
  const value = json.value;
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !SERVER_MESSAGE_TYPES.includes(type)) return { ok: false, failure: 'unknown-type' };
  const parsed = v.safeParse(ServerMessage, value);
  return parsed.success ? { ok: true, message: parsed.output } : { ok: false, failure: 'invalid-message' };
}

/** Encodes a message for the wire. One function so both sides agree on the text form. */
export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}
