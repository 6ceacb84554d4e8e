/** STUN/TURN servers for clients, with time-limited TURN credentials in coturn's shared-secret scheme (`use-auth-secret`). */
import type { IceServer } from '../core/protocol/signal-messages.ts';
import type { Random } from '../core/ports.ts';
import type { SignalingConfig } from './config.ts';

function base64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * coturn's REST-API credentials (draft-uberti-behave-turn-rest-00 §2.2): username = `<expiry unix seconds>:<id>`,
 * credential = base64(HMAC-SHA1(secret, username)). WebCrypto, so the same code runs on Node and Workers.
 */
export async function turnCredential(secret: string, username: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(username));
  return base64(new Uint8Array(mac));
}

/**
 * The ICE servers to hand a client at `now` (ms). STUN entries carry no credentials; TURN entries get a fresh
 * username valid for `turnTtlSeconds`. TURN without a secret is skipped: static TURN passwords would leak to anyone.
 */
export async function iceServersFor(config: SignalingConfig, now: number, random: Random): Promise<IceServer[]> {
  const servers: IceServer[] = [];
  if (config.stunUrls.length > 0) servers.push({ urls: [...config.stunUrls] });
  if (config.turnUrls.length > 0 && config.turnSecret) {
    const expiry = Math.floor(now / 1000) + config.turnTtlSeconds;
    const username = `${expiry}:${hex(random.bytes(8))}`;
    servers.push({ urls: [...config.turnUrls], username, credential: await turnCredential(config.turnSecret, username) });
  }
  return servers;
}
