// Builds the Svelte PWA from web/ into dist/web; workers are bundled as ES modules.
// simple-peer (and its streamx) expect Node's Buffer/process globals: the polyfills plugin provides them, and only
// them. WebRTC itself is the browser's: webrtc-polyfill resolves to its "browser" entry, so node-datachannel
// (whose install script is disabled here) never enters the bundle.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { nodePolyfills } from 'vite-plugin-node-polyfills';

export default defineConfig({
  root: 'web',
  publicDir: 'public',
  plugins: [svelte(), nodePolyfills({ include: ['buffer', 'process', 'events'], globals: { Buffer: true, process: true, global: true } })],
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  server: { port: 5173 },
});
