/** `quintet serve`: the signaling server, exactly as `npm start` runs it (signaling/node.ts). */
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { helpText, msg } from './i18n.ts';

export const SERVE_HELP = `Usage: quintet serve [--port <n>] [--host <address>]

Starts the Quintet server: the PWA (build it first with npm run build), GET /health, GET /ice and the signaling
WebSocket /signal, as npm start does. Settings come from the environment (PORT, HOST, QUINTET_ADMIN_TOKEN,
QUINTET_STUN_URLS, QUINTET_TURN_URLS, QUINTET_TURN_SECRET and the abuse limits: docs/signaling-protocol.md);
--port and --host override PORT and HOST. Ctrl-C stops it.

Options:
  --port <n>         port to listen on (default 8787)
  --host <address>   address to listen on (default 127.0.0.1)
  -h, --help         this help`;

export async function runServe(argv: string[], io: CliIo): Promise<ExitCode> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    io.out(await helpText('serve', SERVE_HELP));
    return EXIT.done;
  }
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(msg('serve.badPort', { port: values.port }));
    process.env.PORT = String(port);
  }
  if (values.host !== undefined) process.env.HOST = values.host;
  // The entry starts listening on import and exits on SIGINT/SIGTERM itself.
  await import('../signaling/node.ts');
  return new Promise<never>(() => undefined);
}
