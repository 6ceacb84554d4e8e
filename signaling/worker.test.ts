/** The Workers entry in workerd through Miniflare 3: the same behaviour suite as Node, over real WebSockets. */
import { SUITE_ENV, behaviourSuite, type SignalTarget } from './testing/behaviour-suite.ts';
import { startMiniflare } from './testing/miniflare-server.ts';
import { openClient } from './testing/test-client.ts';

behaviourSuite('Cloudflare Workers (workerd)', async (): Promise<SignalTarget> => {
  const server = await startMiniflare(SUITE_ENV);
  return {
    // Cloudflare's edge sets CF-Connecting-IP; locally Miniflare passes ours through, which lets tests pick addresses.
    connect: (query, address) => openClient(`${server.url.replace(/^http/, 'ws')}/signal${query}`, { 'CF-Connecting-IP': address }),
    fetch: (path, init) => fetch(`${server.url}${path}`, init),
    logs: () => server.logs,
    close: () => server.dispose(),
  };
});
