/** The page's run history: records each finished run (local or cloud) in IndexedDB, lists them, notifies when hidden. */
import { RunHistory } from '../../../adapters/browser/run-history.ts';
import type { RunRecord } from '../../../core/unattended/run-record.ts';
import { t } from '../i18n/i18n.svelte.ts';

const NOTIFY_ASKED = 'quintet.notifyAsked';

/** A random suffix for a record id (4 hex digits). */
export function idSuffix(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(2)), (b) => b.toString(16).padStart(2, '0')).join('');
}

class HistoryState {
  readonly store = new RunHistory();
  runs = $state.raw<readonly RunRecord[]>([]);
  /** The end of the newest run, once loaded. */
  lastSync = $state<string | null>(null);
  /** A write that failed (quota, private mode): said on the history page, the run itself is unaffected. */
  error = $state<string | null>(null);

  async refresh(): Promise<void> {
    try {
      this.runs = await this.store.list();
      this.lastSync = this.runs[0]?.end ?? null;
    } catch (error) {
      this.error = String((error as Error)?.message ?? error);
    }
  }

  /** Keeps a finished run, then tells the user if the page is in the background. */
  async record(record: RunRecord): Promise<void> {
    try {
      await this.store.add(record);
      this.error = null;
    } catch (error) {
      this.error = String((error as Error)?.message ?? error);
    }
    await this.refresh();
    notifyIfHidden(record);
  }
}

export const history = new HistoryState();

/** Asks for notification permission once (inside a click), so a run ending in a background tab can say so. */
export async function askNotificationsOnce(): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default' || localStorage.getItem(NOTIFY_ASKED)) return;
  localStorage.setItem(NOTIFY_ASKED, '1');
  await Notification.requestPermission().catch(() => 'denied');
}

function notifyIfHidden(record: RunRecord): void {
  if (typeof document === 'undefined' || document.visibilityState !== 'hidden') return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(t('history.notify.title', { profile: record.profile }), { body: t(`history.status.${record.status}`), tag: record.id, icon: '/icon.svg' });
  } catch {
    // Some platforms (Android Chrome) only allow notifications from a service worker: the history still has the run.
  }
}
