// Builds the Svelte PWA from web/ into dist/web; workers are bundled as ES modules.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: 'web',
  publicDir: 'public',
  plugins: [svelte()],
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  server: { port: 5173 },
});
