/** Cloudflare Workers entry: the shared Hono app; /signal goes to the session's Durable Object after block and rate checks. */
import type { Context } from 'hono';
import { CLOSE_REASONS, CloseCode } from '../core/protocol/close-codes.ts';
import { newSessionId } from '../core/protocol/session-id.ts';
import { workerClientAddress } from './address.ts';
import { createApp, intentOf } from './app.ts';
import { readConfig, type SignalingConfig } from './config.ts';
import { BucketMap } from './token-bucket.ts';
import { DurableGuard } from './worker-guard.ts';
import { newWebSocketPair, stringVars, upgradeResponse, type WorkerEnv } from './worker-types.ts';

export { GuardObject } from './worker-guard.ts';
export { SessionObject } from './worker-session.ts';

const clock = { now: () => Date.now() };
const random = { bytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)) };

/** Accepts the socket only to close it with a reason: a browser cannot read an HTTP refusal of an upgrade. */
function refuse(code: number, reason: string): Response {
  const { client, server } = newWebSocketPair();
  server.accept();
  server.close(code, reason);
  return upgradeResponse(client);
}

/**
 * Per-isolate state. Rate limits on new connections and new sessions per address live here, in memory:
 * Cloudflare may run several isolates and recycle them, so these limits are per isolate, best effort.
 */
interface Isolate {
  app: ReturnType<typeof createApp>;
}

let isolate: Isolate | null = null;

function build(env: WorkerEnv): Isolate {
  const config: SignalingConfig = readConfig(stringVars(env));
  const guard = new DurableGuard(env.GUARD);
  const connects = new BucketMap(config.connectRate);
  const creates = new BucketMap(config.sessionCreateRate);
  let lastSweep = 0;
  const signal = async (c: Context): Promise<Response> => {
    const address = workerClientAddress(c.req.raw.headers);
    const intent = intentOf(c.req.url);
    const now = clock.now();
    // Forgetting full buckets walks them all: do it every few seconds, not on every request.
    if (now - lastSweep > 10_000) {
      lastSweep = now;
      connects.sweep(now);
      creates.sweep(now);
    }
    if (intent.kind === 'invalid') return refuse(CloseCode.NoSuchSession, CLOSE_REASONS.noSuchSession);
    if ((await guard.blockedUntil(address)) !== null) return refuse(CloseCode.Blocked, CLOSE_REASONS.blocked);
    if (!connects.take(address, now)) return refuse(CloseCode.RateLimited, CLOSE_REASONS.tooManyConnections);
    if (intent.kind === 'create' && !creates.take(address, now)) return refuse(CloseCode.RateLimited, CLOSE_REASONS.tooManySessions);
    for (let attempt = 0; attempt < 5; attempt++) {
      // A join or a rendezvous names its session; only an ad-hoc create draws one (again, when taken).
      const session = intent.session ?? newSessionId(random);
      const internal = new URL('https://session/connect');
      internal.searchParams.set('address', address);
      internal.searchParams.set('session', session);
      if (intent.kind === 'create') internal.searchParams.set('create', '1');
      if (intent.kind === 'resume') internal.searchParams.set('resume', intent.was);
      const stub = env.SESSIONS.get(env.SESSIONS.idFromName(session));
      const response = await stub.fetch(new Request(internal, { headers: { Upgrade: 'websocket' } }));
      if (response.status !== 409) return response;
      if (intent.session !== undefined) return refuse(CloseCode.SessionExists, CLOSE_REASONS.rendezvousTaken);
    }
    return new Response('could not allocate a session ID', { status: 503 });
  };
  return { app: createApp({ config, clock, random, guard, signal }) };
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: unknown): Response | Promise<Response> {
    isolate ??= build(env);
    return isolate.app.fetch(request, env, ctx as never);
  },
};
