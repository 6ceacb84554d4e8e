// Types of what Vite provides to the page: CSS side-effect imports, and the PWA plugin's registration module.
/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/vanillajs" />
