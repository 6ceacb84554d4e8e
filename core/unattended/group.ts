/**
 * A standing group as its members keep it (docs/protocol.md §11): the group file (JSON, mode 0600) and the invite the hub
 * hands to each member. Both hold the group secret G: whoever has either can join the group's runs.
 */
import * as v from 'valibot';
import { fromB64u, fromUtf8, toB64u, utf8 } from '../crypto/bytes.ts';
import { GROUP_SECRET_BYTES } from '../crypto/group-keys.ts';

/** The group file's and the invite's format version. */
export const GROUP_VERSION = 1;

const b64uOf = (bytes: number, what: string) =>
  v.pipe(v.string(), v.check((s) => fromB64u(s)?.length === bytes, `${what}: ${bytes} bytes in base64url`));

const common = {
  v: v.literal(GROUP_VERSION),
  /** The group's name (shown in runs and reports). */
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(120)),
  /** The signaling server every run of the group meets on. */
  server: v.pipe(v.string(), v.url()),
  /** G, base64url. */
  secret: b64uOf(GROUP_SECRET_BYTES, 'secret'),
  /** The hub's Ed25519 public key, base64url: a member accepts a run only when its leader proves it holds the secret key. */
  hubPublicKey: b64uOf(32, 'hubPublicKey'),
};

export const GroupFileSchema = v.strictObject({
  ...common,
  kind: v.literal('quintet-group'),
  part: v.picklist(['hub', 'member']),
  /** The hub's Ed25519 secret key (libsodium's 64 bytes), base64url: in the hub's file only. */
  hubSecretKey: v.optional(b64uOf(64, 'hubSecretKey')),
});
export type GroupFile = v.InferOutput<typeof GroupFileSchema>;

const InviteSchema = v.strictObject(common);
export type GroupInvite = v.InferOutput<typeof InviteSchema>;

/** A group as the runner uses it: bytes decoded. */
export interface Group {
  name: string;
  server: string;
  part: 'hub' | 'member';
  secret: Uint8Array;
  hubPublicKey: Uint8Array;
  hubSecretKey?: Uint8Array;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const issues = (result: { issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]] }) =>
  result.issues.map((i) => `${v.getDotPath(i) ?? '(top)'}: ${i.message}`).join('; ');

/** Reads a group file's parsed JSON; a hub's file must hold the hub's secret key, a member's must not. */
export function checkGroupFile(input: unknown): Checked<Group> {
  if (typeof input === 'object' && input !== null && typeof (input as { v?: unknown }).v === 'number' && (input as { v: number }).v > GROUP_VERSION) {
    return { ok: false, error: `group file format ${(input as { v: number }).v} is newer than this Quintet reads (${GROUP_VERSION}); update Quintet` };
  }
  const parsed = v.safeParse(GroupFileSchema, input);
  if (!parsed.success) return { ok: false, error: `not a group file: ${issues(parsed)}` };
  const f = parsed.output;
  if (f.part === 'hub' && !f.hubSecretKey) return { ok: false, error: 'a hub group file needs hubSecretKey' };
  if (f.part === 'member' && f.hubSecretKey) return { ok: false, error: 'a member group file must not hold the hub secret key' };
  return {
    ok: true,
    value: {
      name: f.name, server: f.server, part: f.part, secret: fromB64u(f.secret)!, hubPublicKey: fromB64u(f.hubPublicKey)!,
      ...(f.hubSecretKey ? { hubSecretKey: fromB64u(f.hubSecretKey)! } : {}),
    },
  };
}

/** The group file's JSON for `group`. */
export function groupFileOf(group: Group): GroupFile {
  return {
    v: GROUP_VERSION, kind: 'quintet-group', part: group.part, name: group.name, server: group.server,
    secret: toB64u(group.secret), hubPublicKey: toB64u(group.hubPublicKey),
    ...(group.hubSecretKey ? { hubSecretKey: toB64u(group.hubSecretKey) } : {}),
  };
}

/** The invite token of a group: base64url of `{v, server, name, secret, hubPublicKey}` (never the hub's secret key). */
export function encodeGroupInvite(group: Group): string {
  const invite: GroupInvite = { v: GROUP_VERSION, name: group.name, server: group.server, secret: toB64u(group.secret), hubPublicKey: toB64u(group.hubPublicKey) };
  return toB64u(utf8(JSON.stringify(invite)));
}

/** A member's group from an invite token, or why the token is not one (bad base64url, bad JSON, another version, a bad field). */
export function decodeGroupInvite(token: string): Checked<Group> {
  const bytes = fromB64u(token.trim());
  if (bytes === null) return { ok: false, error: 'not a group invite: it is not base64url text (copy the whole token)' };
  const text = fromUtf8(bytes);
  let value: unknown;
  try {
    if (text === null) throw new Error('not UTF-8');
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not a group invite: it does not decode to JSON (copy the whole token)' };
  }
  const version = typeof value === 'object' && value !== null ? (value as { v?: unknown }).v : undefined;
  if (version !== GROUP_VERSION) return { ok: false, error: `group invite version ${JSON.stringify(version)} is not one this Quintet reads (${GROUP_VERSION})` };
  const parsed = v.safeParse(InviteSchema, value);
  if (!parsed.success) return { ok: false, error: `not a group invite: ${issues(parsed)}` };
  const i = parsed.output;
  return { ok: true, value: { name: i.name, server: i.server, part: 'member', secret: fromB64u(i.secret)!, hubPublicKey: fromB64u(i.hubPublicKey)! } };
}
