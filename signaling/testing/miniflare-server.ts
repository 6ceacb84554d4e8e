/** Test helper: bundles signaling/worker.ts with esbuild and runs it in workerd through Miniflare 3, on loopback. */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

/** A running worker: its base URL and a way to stop workerd. */
export interface MiniflareServer {
  url: string;
  /** What the worker wrote to stdout/stderr (its log), line by line. */
  logs: string[];
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
  const logs: string[] = [];
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorker(),
    compatibilityDate: '2024-09-23',
    durableObjects: { SESSIONS: 'SessionObject', GUARD: 'GuardObject' },
    bindings: vars,
    host: '127.0.0.1',
    port: 0,
    // Keep workerd's output out of the test report, and let tests read it.
    handleRuntimeStdio: (stdout, stderr) => {
      for (const stream of [stdout, stderr]) stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
    },
  });
  const url = await mf.ready;
  return { url: url.toString().replace(/\/$/, ''), logs, dispose: () => mf.dispose() };
}
