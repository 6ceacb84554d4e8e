/** The server's admin endpoints for blocked addresses (docs/signaling-protocol.md), from the page's own origin. */

export interface BlockedAddress {
  address: string;
  /** Epoch ms. */
  since: number;
  until: number;
}

/** Why a call failed: the token (401), no admin on this server (404), the network, or another status. */
export class AdminError extends Error {
  constructor(readonly kind: '401' | '404' | 'network' | 'other', readonly status = 0) {
    super(`admin request failed: ${kind}${status ? ` (${status})` : ''}`);
  }
}

const TOKEN_KEY = 'quintet.adminToken';

/** The token lives in sessionStorage only: gone when the tab closes, never written to disk by Quintet. */
export const adminToken = {
  get: (): string => sessionStorage.getItem(TOKEN_KEY) ?? '',
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  forget: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

async function call<T>(token: string, method: 'GET' | 'DELETE', path: string, okStatuses: number[] = [200]): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { method, headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    throw new AdminError('network');
  }
  if (response.status === 401 || response.status === 404) {
    // A 404 from DELETE /admin/blocked/:address means "not blocked" only when the server has admin at all.
    if (!(okStatuses.includes(response.status))) throw new AdminError(String(response.status) as '401' | '404', response.status);
  } else if (!okStatuses.includes(response.status)) throw new AdminError('other', response.status);
  return (await response.json()) as T;
}

export async function listBlocked(token: string): Promise<BlockedAddress[]> {
  const body = await call<{ blocked: BlockedAddress[] }>(token, 'GET', '/admin/blocked');
  return [...body.blocked].sort((a, b) => b.since - a.since);
}

export async function clearAll(token: string): Promise<number> {
  return (await call<{ cleared: number }>(token, 'DELETE', '/admin/blocked')).cleared;
}

/** Lifts one block; 0 when the address was not (or no longer) blocked. */
export async function unblock(token: string, address: string): Promise<number> {
  const body = await call<{ cleared?: number }>(token, 'DELETE', `/admin/blocked/${encodeURIComponent(address)}`, [200, 404]);
  // A 404 without `cleared` is the server without admin, not an address that was not blocked.
  if (typeof body.cleared !== 'number') throw new AdminError('404', 404);
  return body.cleared;
}
