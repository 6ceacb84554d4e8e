/**
 * Set-up shared by the CLI's process tests: a real signaling server on a free port for the enclosing describe block;
 * after it, every spawned `quintet` is interrupted, the server closed and the temporary folders removed.
 */
import { afterAll, beforeAll } from 'vitest';
import { startNodeServer, type NodeServer } from '../signaling/node-server.ts';
import { readConfig } from '../signaling/config.ts';
import { removeTempDirs } from '../adapters/node/temp-tree.ts';
import type { CliProcess } from './cli-process.ts';

/**
 * `running`: the test's processes (it keeps pushing to it). `beforeRemove`: cleanup that must precede the temp folders'
 * removal (unmounts). `env`: the server's limits overridden as its environment would (signaling/config.ts).
 */
export function withSignalingServer(running: readonly CliProcess[], options: { beforeRemove?: () => void; env?: Record<string, string> } = {}): { readonly url: string } {
  let server: NodeServer | null = null;
  beforeAll(async () => {
    server = await startNodeServer({ config: readConfig(options.env ?? {}), port: 0, staticRoot: null });
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.interrupt()));
    await server?.close();
    options.beforeRemove?.();
    await removeTempDirs();
  });
  return {
    get url(): string {
      if (!server) throw new Error('the signaling server is not started yet (use it inside a test)');
      return server.url;
    },
  };
}
