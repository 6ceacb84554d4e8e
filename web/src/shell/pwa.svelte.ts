/** The service worker's registration and the page's network state: whether a new version waits, whether the browser is offline. */
import { registerSW } from 'virtual:pwa-register';

class Pwa {
  /** A new service worker is installed and waits for this page to let it take over. */
  updateReady = $state(false);
  online = $state(typeof navigator === 'undefined' || navigator.onLine);
  #activate: ((reload?: boolean) => Promise<void>) | null = null;

  /** Registers sw.js (it precaches the shell) and follows online/offline; called once by main.ts. */
  start(): void {
    addEventListener('online', () => (this.online = true));
    addEventListener('offline', () => (this.online = false));
    if (!('serviceWorker' in navigator)) return;
    this.#activate = registerSW({ immediate: true, onNeedRefresh: () => (this.updateReady = true) });
  }

  /** Lets the waiting service worker take over, then reloads on the new version. */
  reload(): void {
    void this.#activate?.(true);
  }

  dismiss(): void {
    this.updateReady = false;
  }
}

export const pwa = new Pwa();
