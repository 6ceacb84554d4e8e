/** Invite links: `https://host/#join=<sessionId>&pw=<password>`, the password only in the fragment (never sent to a server, RFC 3986 §3.5). */
import { normalizeSessionId } from '../protocol/session-id.ts';
import { normalizePassword } from './password.ts';

/** A link to `base` (the app's URL; any fragment dropped) that opens the join form filled in. */
export function buildInviteLink(base: string, sessionId: string, password: string): string {
  const hash = base.indexOf('#');
  const root = hash === -1 ? base : base.slice(0, hash);
  return `${root}#join=${encodeURIComponent(sessionId)}&pw=${encodeURIComponent(password)}`;
}

/** The session ID and password of an invite link (or of its fragment alone), normalized; null if it is not one. */
export function parseInviteLink(url: string): { sessionId: string; password: string } | null {
  const hash = url.indexOf('#');
  const fragment = hash === -1 ? url : url.slice(hash + 1);
  const params = new Map<string, string>();
  for (const part of fragment.split('&')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    try {
      params.set(decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' ')));
    } catch {
      return null; // malformed percent-encoding
    }
  }
  const sessionId = normalizeSessionId(params.get('join') ?? '');
  const password = normalizePassword(params.get('pw') ?? '');
  return sessionId === null || password === null ? null : { sessionId, password };
}
