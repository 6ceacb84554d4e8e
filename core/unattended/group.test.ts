/** The group file and the invite token: round trip, and bad tokens refused with a clear error. */
import { describe, expect, it } from 'vitest';
import { toB64u, utf8 } from '../crypto/bytes.ts';
import { checkGroupFile, decodeGroupInvite, encodeGroupInvite, groupFileOf, type Group } from './group.ts';

const hub: Group = {
  name: 'Head office', server: 'https://sync.example.test/', part: 'hub',
  secret: new Uint8Array(32).fill(3), hubPublicKey: new Uint8Array(32).fill(4), hubSecretKey: new Uint8Array(64).fill(5),
};

describe('group invite', () => {
  it('round-trips everything a member needs, never the hub secret key', () => {
    const token = encodeGroupInvite(hub);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, 'base64url').toString()).not.toContain(toB64u(hub.hubSecretKey!));
    const decoded = decodeGroupInvite(`  ${token}\n`);
    expect(decoded).toEqual({ ok: true, value: { name: hub.name, server: hub.server, part: 'member', secret: hub.secret, hubPublicKey: hub.hubPublicKey } });
  });

  it('refuses bad base64, not JSON, another version and bad fields, saying which', () => {
    const token = (o: unknown) => toB64u(utf8(JSON.stringify(o)));
    const good = JSON.parse(Buffer.from(encodeGroupInvite(hub), 'base64url').toString()) as Record<string, unknown>;
    expect(decodeGroupInvite('not*base64')).toEqual({ ok: false, error: expect.stringContaining('not base64url') });
    expect(decodeGroupInvite(toB64u(utf8('{oops')))).toEqual({ ok: false, error: expect.stringContaining('does not decode to JSON') });
    expect(decodeGroupInvite(token({ ...good, v: 2 }))).toEqual({ ok: false, error: 'group invite version 2 is not one this Quintet reads (1)' });
    expect(decodeGroupInvite(token({ ...good, secret: toB64u(new Uint8Array(16)) }))).toEqual({ ok: false, error: expect.stringContaining('secret: 32 bytes') });
    expect(decodeGroupInvite(token({ ...good, server: 'nowhere' }))).toEqual({ ok: false, error: expect.stringContaining('server') });
  });
});

describe('group file', () => {
  it('round-trips a hub and a member file; a hub needs its secret key, a member must not have it', () => {
    expect(checkGroupFile(groupFileOf(hub))).toEqual({ ok: true, value: hub });
    const member = { ...hub, part: 'member' as const, hubSecretKey: undefined };
    const { hubSecretKey: _, ...memberGroup } = member;
    expect(checkGroupFile(groupFileOf(memberGroup))).toEqual({ ok: true, value: memberGroup });
    expect(checkGroupFile({ ...groupFileOf(memberGroup), part: 'hub' })).toEqual({ ok: false, error: 'a hub group file needs hubSecretKey' });
    expect(checkGroupFile({ ...groupFileOf(hub), part: 'member' })).toEqual({ ok: false, error: 'a member group file must not hold the hub secret key' });
    expect(checkGroupFile({ ...groupFileOf(hub), v: 3 })).toEqual({ ok: false, error: expect.stringContaining('newer than this Quintet reads') });
    expect(checkGroupFile({ nope: true })).toEqual({ ok: false, error: expect.stringContaining('not a group file') });
  });
});
