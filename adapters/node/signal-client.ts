/** Node's SignalConnector: one `ws` WebSocket to the server's /signal, validated frames, a ping every idleTimeoutMs / 3. */
import WebSocket from 'ws';
import type { SignalConnector } from '../../core/cloud/cloud-ports.ts';
import { decodeServerMessage, encodeMessage } from '../../core/protocol/signal-codec.ts';
import { SIGNAL_PATH } from '../../core/protocol/signal-messages.ts';

/**
 * The signaling URL of a server given as http(s)://host[:port][/prefix] (as `--server` takes it): ws: for http:,
 * wss: for https:, with /signal after any path prefix. ws(s): URLs are taken as they are. Throws on anything else.
 */
export function signalUrlForServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`not a server URL: ${server}`);
  }
  const scheme = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }[url.protocol];
  if (!scheme) throw new Error(`not an http(s) or ws(s) server URL: ${server}`);
  url.protocol = scheme;
  if (!url.pathname.endsWith(SIGNAL_PATH)) url.pathname = url.pathname.replace(/\/+$/, '') + SIGNAL_PATH;
  url.search = '';
  url.hash = '';
  return url.href;
}

/** Connects to `baseUrl` (e.g. ws://host/signal). Bad frames from the server are dropped and reported to `onBadFrame`. */
export function nodeSignalConnector(baseUrl: string, onBadFrame: (reason: string) => void = () => {}): SignalConnector {
  return {
    connect({ session, handlers }) {
      const url = session === null ? baseUrl : `${baseUrl}?session=${encodeURIComponent(session)}`;
      const ws = new WebSocket(url);
      let ping: ReturnType<typeof setInterval> | null = null;
      let closed = false;
      const finish = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        if (ping !== null) clearInterval(ping);
        handlers.onClose(code, reason);
      };
      ws.on('message', (data, isBinary) => {
        if (isBinary) return onBadFrame('binary');
        const decoded = decodeServerMessage(data.toString());
        if (!decoded.ok) return onBadFrame(decoded.failure);
        const message = decoded.message;
        if (message.type === 'welcome' && ping === null) {
          // The server closes a connection quiet for idleTimeoutMs (4408); stay well inside it.
          const every = Math.max(1000, Math.floor(message.limits.idleTimeoutMs / 3));
          ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(encodeMessage({ type: 'ping' })), every);
        }
        handlers.onMessage(message);
      });
      ws.on('close', (code, reason) => finish(code, reason.toString()));
      // A refused or failed connection: `ws` emits 'error' and then 'close' 1006; report it once, as the browser does.
      ws.on('error', () => finish(1006, 'network error'));
      return {
        send: (message) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(encodeMessage(message));
        },
        close: () => {
          if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
          else ws.close(1000);
          finish(1000, 'closed by this side');
        },
      };
    },
  };
}
