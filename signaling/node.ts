/** Node entry: serves the built PWA and the signaling endpoint on one port (PORT, default 8787; HOST, default 127.0.0.1). */
import { readConfig } from './config.ts';
import { startNodeServer } from './node-server.ts';

const config = readConfig(process.env);
const server = await startNodeServer({
  config,
  port: Number(process.env.PORT ?? 8787),
  host: process.env.HOST ?? '127.0.0.1',
  log: (line) => console.log(`[signal] ${line}`),
});
console.log(`Quintet on http://localhost:${server.port}${config.adminToken ? ' (admin enabled)' : ''}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
