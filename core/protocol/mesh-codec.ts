/** Decoding of mesh messages at the boundary: bytes (already opened by the frame layer) → validated message, or why not. */
import * as v from 'valibot';
import { fromUtf8, utf8 } from '../crypto/bytes.ts';
import { MESH_PROTOCOL_VERSION, MeshMessage } from './mesh-messages.ts';

/** Why a mesh message was dropped. */
export type MeshDecodeFailure = 'malformed-json' | 'unknown-type' | 'newer-version' | 'invalid-message';

/** Result of decoding one mesh message. */
export type MeshDecoded = { ok: true; message: MeshMessage } | { ok: false; failure: MeshDecodeFailure; type?: string };

const TYPES: readonly string[] = MeshMessage.options.map((o) => o.entries.type.literal);

/** Decodes a mesh message. Unknown keys are dropped; unknown types and newer versions are refused, never guessed at. */
export function decodeMeshMessage(bytes: Uint8Array): MeshDecoded {
  const text = fromUtf8(bytes);
  let value: unknown;
  try {
    if (text === null) throw new Error('not UTF-8');
    value = JSON.parse(text) as unknown;
  } catch {
    return { ok: false, failure: 'malformed-json' };
  }
  const record = typeof value === 'object' && value !== null ? (value as { type?: unknown; v?: unknown }) : {};
  const type = typeof record.type === 'string' ? record.type : undefined;
  if (type === undefined || !TYPES.includes(type)) return { ok: false, failure: 'unknown-type', ...(type ? { type } : {}) };
  if (typeof record.v === 'number' && record.v > MESH_PROTOCOL_VERSION) return { ok: false, failure: 'newer-version', type };
  const parsed = v.safeParse(MeshMessage, value);
  return parsed.success ? { ok: true, message: parsed.output } : { ok: false, failure: 'invalid-message', type };
}

/** Encodes a mesh message as UTF-8 JSON, ready for the frame layer. */
export function encodeMeshMessage(message: MeshMessage): Uint8Array {
  return utf8(JSON.stringify(message));
}
