/** Admin endpoints under /admin: list and clear blocked addresses, behind a bearer token set at start. */
import { Hono } from 'hono';
import type { Guard } from './guard.ts';

/** Compares without stopping at the first difference, so response time does not reveal the token prefix. */
function sameText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * The admin routes. Without a token configured they do not exist (404), so a forgotten setting never
 * leaves them open; without the right `Authorization: Bearer <token>` they answer 401.
 */
export function adminRoutes(token: string | null, guard: Guard): Hono {
  const admin = new Hono();
  admin.use('*', async (c, next) => {
    if (token === null) return c.json({ error: 'admin disabled' }, 404);
    const given = c.req.header('Authorization')?.match(/^Bearer (.+)$/)?.[1];
    if (given === undefined || !sameText(given, token)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: 'unauthorized' }, 401);
    }
    await next();
  });
  admin.get('/blocked', async (c) => c.json({ blocked: await guard.list() }));
  admin.delete('/blocked', async (c) => c.json({ cleared: await guard.clearAll() }));
  admin.delete('/blocked/:address', async (c) => {
    const cleared = await guard.clear(c.req.param('address'));
    return c.json({ cleared: cleared ? 1 : 0 }, cleared ? 200 : 404);
  });
  return admin;
}
