/**
 * The page's "Test connection" (issue 12): asks its server's /health whether it is reachable, speaks this page's
 * signaling protocol and knows standing groups (feature `rendezvous`), and says which of these fails.
 */
import { SIGNAL_PROTOCOL_VERSION } from '../../../core/protocol/signal-messages.ts';

export type ConnectionCheck =
  | { ok: true; protocol: number }
  | { ok: false; problem: 'unreachable' }
  | { ok: false; problem: 'http'; status: number }
  | { ok: false; problem: 'not-quintet' }
  | { ok: false; problem: 'version'; server: string; page: number }
  | { ok: false; problem: 'no-rendezvous' };

/** What an answer of /health means for this page (`page`: the signaling protocol version it speaks). */
export function judgeHealth(status: number, body: unknown, page: number = SIGNAL_PROTOCOL_VERSION): ConnectionCheck {
  if (status < 200 || status > 299) return { ok: false, problem: 'http', status };
  if (typeof body !== 'object' || body === null || !('protocol' in body)) return { ok: false, problem: 'not-quintet' };
  const { protocol, features } = body as { protocol: unknown; features?: unknown };
  if (protocol !== page) return { ok: false, problem: 'version', server: String(protocol), page };
  if (!Array.isArray(features) || !features.includes('rendezvous')) return { ok: false, problem: 'no-rendezvous' };
  return { ok: true, protocol: page };
}

/** Fetches `healthUrl` (the page's own server's /health by default) and judges it; never throws. */
export async function testConnection(healthUrl: string = new URL('/health', location.href).href): Promise<ConnectionCheck> {
  let response: Response;
  try {
    response = await fetch(healthUrl, { cache: 'no-store', signal: AbortSignal.timeout(10_000) });
  } catch {
    return { ok: false, problem: 'unreachable' };
  }
  const body: unknown = await response.json().catch(() => null);
  return judgeHealth(response.status, body);
}
