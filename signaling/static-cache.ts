/** Cache-Control for the built PWA's files: the service worker and the shell are revalidated on every load, hashed assets kept a year. */

/** Files whose name stays the same across releases: a long cache would keep an old service worker (and the shell) alive. */
const REVALIDATED = new Set(['/', '/index.html', '/sw.js', '/registerSW.js', '/manifest.webmanifest']);

/** The Cache-Control header for a GET of `path` (the SPA fallback serves index.html, so unknown paths revalidate too). */
export function cacheControlFor(path: string): string {
  // Vite names everything under /assets/ by content hash: a new release has new names.
  if (path.startsWith('/assets/') || /^\/workbox-[\w-]+\.js$/.test(path)) return 'public, max-age=31536000, immutable';
  if (REVALIDATED.has(path) || !/\.\w+$/.test(path)) return 'no-cache';
  return 'public, max-age=3600';
}
