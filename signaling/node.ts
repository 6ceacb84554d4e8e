/** Node entry: serves the built PWA and the signaling endpoint on one port (PORT, default 8787). */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

const port = Number(process.env.PORT ?? 8787);
const app = new Hono();
app.get('/health', (c) => c.json({ ok: true }));
app.use('/*', serveStatic({ root: './dist/web' }));
app.get('/*', serveStatic({ path: './dist/web/index.html' }));

serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  console.log(`Quintet on http://localhost:${info.port}`);
});
