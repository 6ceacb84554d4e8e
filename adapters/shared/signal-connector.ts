/**
 * The SignalConnector over a WebSocket, shared by the browser (its own WebSocket) and the Node member (`ws`, which
 * has the same `on…` attributes): one socket to /signal, validated frames, a ping every idleTimeoutMs / 3.
 */
import type { SignalConnector } from '../../core/cloud/cloud-ports.ts';
import { decodeServerMessage, encodeMessage } from '../../core/protocol/signal-codec.ts';
import { RENDEZVOUS } from '../../core/protocol/session-id.ts';

/**
 * The query that asks for `session`: an ad-hoc create, a join by ID, a standing group's rendezvous (joined or
 * created), or a session re-created under its own ID on a restarted server (`create` with an ad-hoc ID: `rehome=1`).
 */
export function signalQuery(session: string | null, create = false, resume?: string): string {
  if (session === null) return '';
  if (RENDEZVOUS.test(session)) return `?rendezvous=${session}${create ? '&create=1' : ''}`;
  return `?session=${encodeURIComponent(session)}${resume ? `&resume=${resume}` : create ? '&rehome=1' : ''}`;
}

/** The WebSocket surface used here: the browser's, and `ws`'s event attributes (text frames arrive as strings). */
export interface SignalSocket {
  readonly readyState: number;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

/** How a platform opens a socket, and how it abandons one still connecting (`ws` terminates it). */
export interface SocketPlatform {
  open(url: string): SignalSocket;
  abortConnecting?(socket: SignalSocket): void;
}

const CONNECTING = 0;
const OPEN = 1;

/** Connects to `baseUrl` (e.g. ws://host/signal). Bad frames from the server are dropped and reported to `onBadFrame`. */
export function webSocketSignalConnector(platform: SocketPlatform, baseUrl: string, onBadFrame: (reason: string) => void = () => {}): SignalConnector {
  return {
    connect({ session, create, resume, handlers }) {
      const url = `${baseUrl}${signalQuery(session, create, resume?.was)}`;
      const ws = platform.open(url);
      // A resume proves itself in the first frame (never in the URL, which proxies may log).
      if (resume) ws.onopen = () => ws.send(encodeMessage({ type: 'resume', token: resume.token }));
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
          ping = setInterval(() => ws.readyState === OPEN && ws.send(encodeMessage({ type: 'ping' })), every);
        }
        handlers.onMessage(message);
      };
      ws.onclose = (event) => finish(event.code, event.reason);
      // A refused or failed connection: an error, then a close 1006; report it once.
      ws.onerror = () => finish(1006, 'network error');
      return {
        send: (message) => {
          if (ws.readyState === OPEN) ws.send(encodeMessage(message));
        },
        close: () => {
          if (ws.readyState === CONNECTING && platform.abortConnecting) platform.abortConnecting(ws);
          else {
            // On purpose: the server releases the slot at once instead of holding it for a resume.
            if (ws.readyState === OPEN) ws.send(encodeMessage({ type: 'leave' }));
            ws.close(1000);
          }
          finish(1000, 'closed by this side');
        },
      };
    },
  };
}
