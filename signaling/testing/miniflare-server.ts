/** Test helper: bundles signaling/worker.ts with esbuild and runs it in workerd through Miniflare 3, on loopback. */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

/** A running worker: its base URL and a way to stop workerd. */
export interface MiniflareServer {
  url: string;
  dispose(): Promise<void>;
}

/** Bundles the Workers entry to one ES module, the way wrangler would. */
export async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../worker.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}

/** Starts workerd with the worker, both Durable Object classes and the given QUINTET_* variables. */
export async function startMiniflare(vars: Record<string, string>): Promise<MiniflareServer> {
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorker(),
    compatibilityDate: '2024-09-23',
    durableObjects: { SESSIONS: 'SessionObject', GUARD: 'GuardObject' },
    bindings: vars,
    host: '127.0.0.1',
    port: 0,
  });
  const url = await mf.ready;
  return { url: url.toString().replace(/\/$/, ''), dispose: () => mf.dispose() };
}
