/** The client address the server believes: the socket's peer, a trusted proxy's X-Forwarded-For, or Cloudflare's header. */

/** Writes IPv4-mapped IPv6 (`::ffff:203.0.113.7`) as the IPv4 address people expect to see. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The address on Node. X-Forwarded-For is read only when `trustProxyHops` > 0, and then from the right:
 * each trusted proxy appends the address it saw, so entry `length - hops` is the client as our outermost
 * proxy saw it; anything further left was written by the client and proves nothing.
 */
export function nodeClientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustProxyHops: number): string {
  const socket = plainAddress(socketAddress ?? 'unknown');
  if (trustProxyHops <= 0 || !forwardedFor) return socket;
  const hops = forwardedFor.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const chosen = hops[Math.max(0, hops.length - trustProxyHops)];
  return chosen ? plainAddress(chosen) : socket;
}

/** The address on Cloudflare Workers, set by Cloudflare's edge and not forgeable by the client. */
export function workerClientAddress(headers: Headers): string {
  return headers.get('CF-Connecting-IP') ?? 'unknown';
}
