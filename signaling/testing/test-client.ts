/** Test helper: a real `ws` WebSocket client with a message queue, as a browser member or candidate would use the server. */
import WebSocket from 'ws';
import { decodeServerMessage } from '../../core/protocol/signal-codec.ts';
import type { ServerMessage, WelcomeMessage } from '../../core/protocol/signal-messages.ts';

/** How a connection ended. */
export interface Closed {
  code: number;
  reason: string;
}

type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** A connected client. Every frame the server sends must decode with the shared schema, or the test fails. */
export class TestClient {
  private readonly queue: ServerMessage[] = [];
  private readonly waiters: Array<() => void> = [];
  readonly closed: Promise<Closed>;
  readonly invalid: string[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const decoded = decodeServerMessage(isBinary ? '' : String(data));
      if (decoded.ok) this.queue.push(decoded.message);
      else this.invalid.push(String(data));
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of this.waiters.splice(0)) wake();
    }));
    socket.on('error', () => {}); // surfaced through `closed`
  }

  /** Waits for the next message of `type` (earlier messages of other types stay queued). */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 5_000): Promise<Of<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex((m) => m.type === type);
      if (index >= 0) return this.queue.splice(index, 1)[0] as Of<T>;
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`closed while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} within ${timeoutMs} ms; queued: ${this.queue.map((m) => m.type).join(',')}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiters.push(() => { clearTimeout(timer); wake(); });
      });
    }
  }

  /** Messages received and not yet taken, by type. */
  pending(type: ServerMessage['type']): ServerMessage[] {
    return this.queue.filter((m) => m.type === type);
  }

  /** Sends a message object as JSON. */
  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Sends raw text or bytes, for bad input. */
  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Leaves on purpose (`leave`, so a member's slot is released at once), closes and waits until it is done. */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) this.send({ type: 'leave' });
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close(1000, 'bye');
    await this.closed;
  }

  /** Closes without `leave`, as a reload or a dropped network does: a member's slot is held for a resume. */
  async drop(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close(1001, 'going away');
    await this.closed;
  }
}

/** Opens a client; resolves once the socket is open (the welcome, if any, arrives on the queue). */
export function openClient(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const client = new TestClient(socket);
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

/** A client that was welcomed, with its welcome at hand. */
export interface Welcomed {
  client: TestClient;
  welcome: WelcomeMessage;
}
