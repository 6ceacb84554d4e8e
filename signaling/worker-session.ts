/** Workers: one Durable Object per session, holding that session's Hub (one room) and its sockets (plain accept). */
import { readConfig, sweepEveryMs, type SignalingConfig } from './config.ts';
import type { Connection } from './connection.ts';
import { Hub, type Intent } from './hub.ts';
import { iceServersFor } from './ice.ts';
import { DurableGuard } from './worker-guard.ts';
import { newWebSocketPair, stringVars, upgradeResponse, type DurableObjectState, type WorkerEnv } from './worker-types.ts';

const clock = { now: () => Date.now() };
const random = { bytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)) };

/**
 * The session object. The Worker has already checked blocks and per-address rates and passes the
 * address and intent in the internal URL (`/connect?address=…&session=…&create=1`), which clients cannot reach.
 * Sockets are accepted without hibernation: a session lives minutes to hours with frequent traffic,
 * and keeping the room in memory keeps the code the same as on Node.
 */
export class SessionObject {
  private readonly config: SignalingConfig;
  private readonly hub: Hub;
  private sweeper: ReturnType<typeof setInterval> | null = null;

  constructor(state: DurableObjectState, env: WorkerEnv) {
    this.config = readConfig(stringVars(env));
    const guard = new DurableGuard(env.GUARD);
    this.hub = new Hub({
      config: this.config, clock, random,
      onJoinFailure: (address) => state.waitUntil(guard.recordFailure(address)),
      log: (line) => console.log(`[signal] ${line}`),
    });
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const address = url.searchParams.get('address') ?? 'unknown';
    const session = url.searchParams.get('session') ?? '';
    const create = url.searchParams.get('create') === '1';
    // The Worker drew this ID at random; if it is taken, it draws another.
    if (create && this.hub.hasSession(session)) return new Response('session ID taken', { status: 409 });
    const was = url.searchParams.get('resume');
    const intent: Intent = create ? { kind: 'create', session } : was !== null ? { kind: 'resume', session, was } : { kind: 'join', session };
    const iceServers = await iceServersFor(this.config, clock.now(), random);
    const { client, server } = newWebSocketPair();
    server.accept();
    const link = { send: (text: string) => server.send(text), close: (code: number, reason: string) => server.close(code, reason) };
    const connection: Connection | null = this.hub.open({ address, intent, link, iceServers, blockedUntil: null });
    if (connection) {
      server.addEventListener('message', (event) => connection.receive(event.data as string | ArrayBuffer));
      server.addEventListener('close', (event) => {
        connection.closed();
        // Without the web_socket_auto_reply_to_close flag, workerd waits for us to answer the client's close frame.
        try {
          server.close(event.code === 1005 ? 1000 : event.code, 'bye');
        } catch {
          // Already closed by us (kill) or by the runtime.
        }
      });
      server.addEventListener('error', () => connection.closed());
      this.startSweeping();
    }
    return upgradeResponse(client);
  }

  /** The idle sweep runs only while the session has connections or held slots (their grace ends here), so an empty object can be evicted. */
  private startSweeping(): void {
    if (this.sweeper !== null) return;
    this.sweeper = setInterval(() => {
      this.hub.sweep();
      const { connections, held } = this.hub.stats();
      if (connections === 0 && held === 0 && this.sweeper !== null) {
        clearInterval(this.sweeper);
        this.sweeper = null;
      }
    }, sweepEveryMs(this.config));
  }
}
