/** The few Cloudflare Workers runtime types the Workers entry uses, declared here instead of pulling @cloudflare/workers-types into the DOM-typed Node project. */

/** A Durable Object's handle on its storage and lifetime (subset). */
export interface DurableObjectState {
  storage: {
    get<T>(key: string): Promise<T | undefined>;
    put<T>(key: string, value: T): Promise<void>;
  };
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
  waitUntil(promise: Promise<unknown>): void;
}

/** A stub to talk to one Durable Object instance. */
export interface DurableObjectStub {
  fetch(request: Request): Promise<Response>;
}

/** A Durable Object namespace binding (subset). */
export interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
}

/** The server end of a WebSocketPair: a WebSocket that must be `accept()`ed. */
export type WorkerSocket = WebSocket & { accept(): void };

/** Bindings of the worker: the two Durable Object namespaces plus QUINTET_* variables and secrets. */
export interface WorkerEnv {
  SESSIONS: DurableObjectNamespace;
  GUARD: DurableObjectNamespace;
  [name: string]: unknown;
}

/** Creates a WebSocketPair (a Workers global absent from Node's types). */
export function newWebSocketPair(): { client: WebSocket; server: WorkerSocket } {
  const Pair = (globalThis as unknown as { WebSocketPair: new () => Record<0 | 1, WebSocket> }).WebSocketPair;
  const pair = new Pair();
  return { client: pair[0], server: pair[1] as WorkerSocket };
}

/** The 101 response that hands the client end of a pair to the runtime. */
export function upgradeResponse(client: WebSocket): Response {
  return new Response(null, { status: 101, webSocket: client } as ResponseInit);
}

/** Only the string variables of the env, for readConfig. */
export function stringVars(env: WorkerEnv): Record<string, string | undefined> {
  const vars: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value;
  return vars;
}
