/** Workers: the blocklist in one global Durable Object (persisted), and the Guard that reaches it from the Worker and the session objects. */
import { Hono } from 'hono';
import { Blocklist, type BlockedAddress, type BlocklistSnapshot } from './blocklist.ts';
import { readConfig } from './config.ts';
import type { Guard } from './guard.ts';
import { stringVars, type DurableObjectNamespace, type DurableObjectState, type WorkerEnv } from './worker-types.ts';

/** The name of the single guard instance: blocks must be global, not per session. */
const GUARD_NAME = 'guard';
const KEY = 'blocklist';

/**
 * Durable Object holding failed joins and blocks for every address. State is written to storage after each
 * change so an eviction or restart keeps the blocks (unlike per-isolate rate limits, which may reset).
 */
export class GuardObject {
  private readonly blocklist: Blocklist;
  private readonly app = new Hono();

  constructor(private readonly state: DurableObjectState, env: WorkerEnv) {
    this.blocklist = new Blocklist(readConfig(stringVars(env)).block);
    void state.blockConcurrencyWhile(async () => {
      const saved = await state.storage.get<BlocklistSnapshot>(KEY);
      if (saved) this.blocklist.restore(saved);
    });
    const address = (url: string) => new URL(url).searchParams.get('address') ?? '';
    this.app.get('/blocked-until', (c) => c.json({ until: this.blocklist.blockedUntil(address(c.req.url), Date.now()) }));
    this.app.post('/failure', async (c) => c.json({ blocked: await this.change(() => this.blocklist.recordFailure(address(c.req.url), Date.now())) }));
    this.app.get('/list', (c) => c.json({ blocked: this.blocklist.list(Date.now()) }));
    this.app.delete('/clear', async (c) => c.json({ cleared: (await this.change(() => this.blocklist.clear(address(c.req.url)))) ? 1 : 0 }));
    this.app.delete('/clear-all', async (c) => c.json({ cleared: await this.change(() => this.blocklist.clearAll()) }));
  }

  fetch(request: Request): Response | Promise<Response> {
    return this.app.fetch(request);
  }

  private async change<T>(apply: () => T): Promise<T> {
    const result = apply();
    this.blocklist.prune(Date.now());
    await this.state.storage.put(KEY, this.blocklist.snapshot());
    return result;
  }
}

/** The Guard interface over the guard Durable Object. */
export class DurableGuard implements Guard {
  constructor(private readonly namespace: DurableObjectNamespace) {}

  private async call<T>(method: string, path: string, address?: string): Promise<T> {
    const url = new URL(`https://guard${path}`);
    if (address !== undefined) url.searchParams.set('address', address);
    const stub = this.namespace.get(this.namespace.idFromName(GUARD_NAME));
    const response = await stub.fetch(new Request(url, { method }));
    return (await response.json()) as T;
  }

  async blockedUntil(address: string): Promise<number | null> {
    return (await this.call<{ until: number | null }>('GET', '/blocked-until', address)).until;
  }

  async recordFailure(address: string): Promise<void> {
    await this.call('POST', '/failure', address);
  }

  async list(): Promise<BlockedAddress[]> {
    return (await this.call<{ blocked: BlockedAddress[] }>('GET', '/list')).blocked;
  }

  async clear(address: string): Promise<boolean> {
    return (await this.call<{ cleared: number }>('DELETE', '/clear', address)).cleared === 1;
  }

  async clearAll(): Promise<number> {
    return (await this.call<{ cleared: number }>('DELETE', '/clear-all')).cleared;
  }
}
