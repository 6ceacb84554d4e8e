// Builds the Svelte PWA from web/ into dist/web; workers are bundled as ES modules.
// simple-peer (and its streamx) expect Node's Buffer/process globals: the polyfills plugin provides them, and only
// them. WebRTC itself is the browser's: webrtc-polyfill resolves to its "browser" entry, so node-datachannel
// (whose install script is disabled here) never enters the bundle.
// vite-plugin-pwa writes sw.js (Workbox): it precaches the app shell and every chunk, so the app opens offline; a new
// version waits until the page's "Reload" (registerType 'prompt'). The manifest stays web/public/manifest.webmanifest.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { nodePolyfills } from 'vite-plugin-node-polyfills';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  root: 'web',
  publicDir: 'public',
  plugins: [
    svelte(),
    nodePolyfills({ include: ['buffer', 'process', 'events'], globals: { Buffer: true, process: true, global: true } }),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,wasm}'],
        // libsodium's chunk is larger than Workbox's 2 MiB default; the cloud page needs it offline too.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        // The signaling routes are the server's, never the shell.
        navigateFallbackDenylist: [/^\/(signal|health|ice|admin)(\/|$)/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  server: { port: 5173 },
});
