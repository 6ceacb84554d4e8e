/** The shared Hono app through `app.request()`: health, ICE, the /signal hand-off, admin with its token, all on an injected clock. */
import { describe, expect, it } from 'vitest';
import { createApp, intentOf } from './app.ts';
import { readConfig, type Env } from './config.ts';
import { MemoryGuard } from './guard.ts';

function appWith(env: Env) {
  const clock = { t: 1_700_000_000_000, now() { return this.t; } };
  const config = readConfig(env);
  const guard = new MemoryGuard(config, clock);
  const handedOff: string[] = [];
  const app = createApp({
    config, clock, guard,
    random: { bytes: (n) => new Uint8Array(n).fill(1) },
    signal: (c) => { handedOff.push(c.req.url); return new Response('upgraded elsewhere', { status: 418 }); },
  });
  return { app, clock, guard, handedOff };
}

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

describe('app', () => {
  it('answers /health', async () => {
    const res = await appWith({}).app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, protocol: 1, features: ['rendezvous', 'resume', 'rehome'] });
  });

  it('hands out ICE servers valid from the injected clock', async () => {
    const { app } = appWith({ QUINTET_TURN_URLS: 'turn:t.test', QUINTET_TURN_SECRET: 's', QUINTET_TURN_TTL_SECONDS: '60' });
    const res = await app.request('/ice');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as { iceServers: Array<{ username: string }> };
    expect(body.iceServers[0]?.username).toBe('1700000060:0101010101010101');
  });

  it('answers 426 to a plain GET of /signal and hands upgrades to the runtime', async () => {
    const { app, handedOff } = appWith({});
    const plain = await app.request('/signal');
    expect(plain.status).toBe(426);
    expect(plain.headers.get('Upgrade')).toBe('websocket');
    expect(handedOff).toEqual([]);
    const upgrade = await app.request('/signal?session=482-kqt-913', { headers: { Upgrade: 'websocket' } });
    expect(upgrade.status).toBe(418);
    expect(handedOff).toEqual(['http://localhost/signal?session=482-kqt-913']);
  });

  it('reads the intent from the URL', () => {
    expect(intentOf('http://h/signal')).toEqual({ kind: 'create' });
    expect(intentOf('http://h/signal?session=482kqt913')).toEqual({ kind: 'join', session: '482-KQT-913' });
    expect(intentOf('http://h/signal?session=oops')).toEqual({ kind: 'invalid', session: 'oops' });
    const r = `g-${'ab'.repeat(16)}`;
    expect(intentOf(`http://h/signal?rendezvous=${r}&create=1`)).toEqual({ kind: 'create', session: r });
    expect(intentOf(`http://h/signal?rendezvous=${r}`)).toEqual({ kind: 'join', session: r });
    expect(intentOf('http://h/signal?rendezvous=482-KQT-913&create=1')).toEqual({ kind: 'invalid', session: '482-KQT-913' });
  });

  it('has no admin without a token', async () => {
    expect((await appWith({}).app.request('/admin/blocked', bearer('anything'))).status).toBe(404);
  });

  it('refuses admin requests without the right token', async () => {
    const { app } = appWith({ QUINTET_ADMIN_TOKEN: 'right' });
    for (const init of [{}, bearer('wrong'), bearer('righ'), bearer('right-and-more'), { headers: { Authorization: 'right' } }]) {
      const res = await app.request('/admin/blocked', init);
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
    }
    expect((await app.request('/admin/blocked', { method: 'DELETE' })).status).toBe(401);
  });

  it('lists blocks until they expire, clears one or all', async () => {
    const { app, clock, guard } = appWith({ QUINTET_ADMIN_TOKEN: 'right' });
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) for (let i = 0; i < 5; i++) await guard.recordFailure(address);
    const list = async () => ((await (await app.request('/admin/blocked', bearer('right'))).json()) as { blocked: Array<{ address: string; until: number }> }).blocked;
    expect(await list()).toEqual([
      { address: '192.0.2.1', since: clock.t, until: clock.t + 3_600_000 },
      { address: '192.0.2.2', since: clock.t, until: clock.t + 3_600_000 },
      { address: '192.0.2.3', since: clock.t, until: clock.t + 3_600_000 },
    ]);
    const one = await app.request('/admin/blocked/192.0.2.2', { method: 'DELETE', ...bearer('right') });
    expect(await one.json()).toEqual({ cleared: 1 });
    expect((await app.request('/admin/blocked/192.0.2.2', { method: 'DELETE', ...bearer('right') })).status).toBe(404);
    expect((await list()).map((b) => b.address)).toEqual(['192.0.2.1', '192.0.2.3']);
    clock.t += 3_600_000;
    expect(await list()).toEqual([]);
    for (let i = 0; i < 5; i++) await guard.recordFailure('192.0.2.9');
    expect(await (await app.request('/admin/blocked', { method: 'DELETE', ...bearer('right') })).json()).toEqual({ cleared: 1 });
    expect(await guard.blockedUntil('192.0.2.9')).toBeNull();
  });
});
