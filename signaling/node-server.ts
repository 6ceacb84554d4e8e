/** Starts the signaling server on Node: the shared app, WebSockets through @hono/node-server, the built PWA, and the idle sweep. */
import type { AddressInfo } from 'node:net';
import { serve, upgradeWebSocket, type HttpBindings } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context } from 'hono';
import { WebSocketServer } from 'ws';
import { CLOSE_REASONS, CloseCode } from '../core/protocol/close-codes.ts';
import type { Clock, Random } from '../core/ports.ts';
import { nodeClientAddress } from './address.ts';
import { createApp, intentOf } from './app.ts';
import { sweepEveryMs, type SignalingConfig } from './config.ts';
import { MemoryGuard } from './guard.ts';
import { Hub } from './hub.ts';
import type { Connection } from './connection.ts';
import { iceServersFor } from './ice.ts';
import { cacheControlFor } from './static-cache.ts';

/** How to start; everything but `config` has a production default. */
export interface NodeServerOptions {
  config: SignalingConfig;
  port?: number;
  host?: string;
  clock?: Clock;
  random?: Random;
  /** Folder of the built PWA, served with SPA fallback; null serves nothing. */
  staticRoot?: string | null;
  /** How often to look for idle connections; defaults to a quarter of the idle timeout. */
  sweepEveryMs?: number;
  log?(line: string): void;
}

/** A running server. `close()` ends every connection with 1001 and stops listening. */
export interface NodeServer {
  port: number;
  url: string;
  hub: Hub;
  guard: MemoryGuard;
  close(): Promise<void>;
}

const systemClock: Clock = { now: () => Date.now() };
const systemRandom: Random = { bytes: (n) => crypto.getRandomValues(new Uint8Array(n)) };

/** Starts listening and resolves once the port is bound (port 0 picks a free one). */
export function startNodeServer(options: NodeServerOptions): Promise<NodeServer> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const log = options.log ?? (() => {});
  const guard = new MemoryGuard(config, clock, log);
  const hub = new Hub({
    config, clock, random, log,
    onJoinFailure: (address) => void guard.recordFailure(address),
  });

  const signal = upgradeWebSocket(async (c: Context<{ Bindings: HttpBindings }>) => {
    const incoming = c.env.incoming;
    const forwarded = incoming.headers['x-forwarded-for'];
    const address = nodeClientAddress(incoming.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, config.trustProxyHops);
    const intent = intentOf(c.req.url);
    const blockedUntil = await guard.blockedUntil(address);
    const iceServers = await iceServersFor(config, clock.now(), random);
    let connection: Connection | null = null;
    return {
      onOpen: (_event, ws) => {
        const link = { send: (text: string) => ws.send(text), close: (code: number, reason: string) => ws.close(code, reason) };
        if (intent.kind === 'invalid') return link.close(CloseCode.NoSuchSession, CLOSE_REASONS.noSuchSession);
        connection = hub.open({ address, intent, link, iceServers, blockedUntil });
      },
      onMessage: (event) => connection?.receive(event.data as string | ArrayBuffer),
      onClose: () => connection?.closed(),
      onError: () => connection?.closed(),
    };
  });

  const app = createApp({ config, clock, random, guard, signal: (c) => signal(c as Context, async () => {}) as Promise<Response> });
  const root = options.staticRoot === undefined ? './dist/web' : options.staticRoot;
  if (root !== null) {
    app.use('/*', async (c, next) => {
      await next();
      if (c.res.ok && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', cacheControlFor(c.req.path));
    });
    app.use('/*', serveStatic({ root }));
    app.get('/*', serveStatic({ path: `${root}/index.html` }));
  }

  // ws enforces a hard cap far above the announced limit (memory safety, closes with 1009);
  // frames between the two are refused by the app with 4413, the same as on Workers.
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes * 4 });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 8787, hostname: options.host ?? '127.0.0.1', websocket: { server: wss } }, (info: AddressInfo) => {
      const sweep = setInterval(() => hub.sweep(), options.sweepEveryMs ?? sweepEveryMs(config));
      sweep.unref();
      resolve({
        port: info.port,
        url: `http://${options.host ?? '127.0.0.1'}:${info.port}`,
        hub,
        guard,
        close: () => new Promise<void>((done) => {
          clearInterval(sweep);
          hub.closeAll();
          for (const client of wss.clients) client.terminate();
          server.close(() => done());
        }),
      });
    });
  });
}
