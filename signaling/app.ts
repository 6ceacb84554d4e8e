/** The Hono app on web standards shared by both entries: health, ICE, admin, and the /signal upgrade handed to the runtime. */
import { Hono, type Context } from 'hono';
import { SIGNAL_PATH, SIGNAL_PROTOCOL_VERSION } from '../core/protocol/signal-messages.ts';
import { RENDEZVOUS, normalizeSessionId } from '../core/protocol/session-id.ts';
import type { Clock, Random } from '../core/ports.ts';
import { adminRoutes } from './admin.ts';
import type { SignalingConfig } from './config.ts';
import type { Guard } from './guard.ts';
import type { Intent } from './hub.ts';
import { iceServersFor } from './ice.ts';

/** What the app is built from. `signal` performs the runtime's WebSocket upgrade (Node socket or Durable Object). */
export interface AppDeps {
  config: SignalingConfig;
  clock: Clock;
  random: Random;
  guard: Guard;
  signal(c: Context): Response | Promise<Response>;
}

/** What /health says beyond the protocol version: the extensions of v1 this server knows (docs/signaling-protocol.md). */
export const SIGNAL_FEATURES = ['rendezvous', 'resume', 'rehome'] as const;

/**
 * Reads what a connection asks for from its URL: `/signal` creates a session, `/signal?session=482-KQT-913`
 * joins one; `/signal?rendezvous=g-…&create=1` creates a standing group's run under that name (only if no session has
 * it), `/signal?rendezvous=g-…` joins it. An unreadable ID is kept as typed, so it is refused as "no such session"
 * after the upgrade.
 */
export function intentOf(url: string): Intent | { kind: 'invalid'; session: string } {
  const params = new URL(url).searchParams;
  const rendezvous = params.get('rendezvous');
  if (rendezvous !== null) {
    if (!RENDEZVOUS.test(rendezvous)) return { kind: 'invalid', session: rendezvous };
    return params.get('create') === '1' ? { kind: 'create', session: rendezvous } : { kind: 'join', session: rendezvous };
  }
  const requested = params.get('session');
  if (requested === null) return { kind: 'create' };
  const session = normalizeSessionId(requested);
  if (!session) return { kind: 'invalid', session: requested };
  // `&resume=<member ID>`: take that member's held slot back; the token follows in the first frame, never in the URL.
  const was = params.get('resume');
  if (was !== null) return /^[0-9a-f]{16}$/.test(was) ? { kind: 'resume', session, was } : { kind: 'invalid', session: requested };
  // `&rehome=1`: re-create a session under its own ID after a server restart, refused (4412) while a live one has it.
  if (params.get('rehome') === '1') return { kind: 'create', session };
  return { kind: 'join', session };
}

/** Builds the app. Routes: GET /health, GET /ice, GET /signal (WebSocket), /admin/* (bearer token). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true, protocol: SIGNAL_PROTOCOL_VERSION, features: SIGNAL_FEATURES }));
  app.get('/ice', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ iceServers: await iceServersFor(deps.config, deps.clock.now(), deps.random) });
  });
  app.route('/admin', adminRoutes(deps.config.adminToken, deps.guard));
  app.get(SIGNAL_PATH, (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
      return c.json({ error: `${SIGNAL_PATH} is a WebSocket endpoint` }, 426, { Upgrade: 'websocket' });
    }
    return deps.signal(c);
  });
  return app;
}
