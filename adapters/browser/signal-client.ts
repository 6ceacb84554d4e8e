/** The browser's SignalConnector: one WebSocket to /signal, validated frames, and a ping every idleTimeoutMs / 3. */
import type { SignalConnector } from '../../core/cloud/cloud-ports.ts';
import { decodeServerMessage, encodeMessage } from '../../core/protocol/signal-codec.ts';
import { SIGNAL_PATH } from '../../core/protocol/signal-messages.ts';

/** The signaling URL of a page's origin (ws: for http:, wss: for https:). */
export function signalUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SIGNAL_PATH}`;
}

/** Connects to `baseUrl` (e.g. ws://host/signal). Bad frames from the server are dropped and reported to `onBadFrame`. */
export function browserSignalConnector(baseUrl: string, onBadFrame: (reason: string) => void = () => {}): SignalConnector {
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
      ws.onmessage = (event) => {
        if (typeof event.data !== 'string') return onBadFrame('binary');
        const decoded = decodeServerMessage(event.data);
        if (!decoded.ok) return onBadFrame(decoded.failure);
        const message = decoded.message;
        if (message.type === 'welcome' && ping === null) {
          // The server closes a connection quiet for idleTimeoutMs (4408); stay well inside it.
          const every = Math.max(1000, Math.floor(message.limits.idleTimeoutMs / 3));
          ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(encodeMessage({ type: 'ping' })), every);
        }
        handlers.onMessage(message);
      };
      ws.onclose = (event) => finish(event.code, event.reason);
      ws.onerror = () => finish(1006, 'network error');
      return {
        send: (message) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(encodeMessage(message));
        },
        close: () => {
          ws.close(1000);
          finish(1000, 'closed by this side');
        },
      };
    },
  };
}
