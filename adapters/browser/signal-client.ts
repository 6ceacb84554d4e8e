/** The browser's SignalConnector (adapters/shared/signal-connector.ts over the page's WebSocket) and its URL. */
import type { SignalConnector } from '../../core/cloud/cloud-ports.ts';
import { SIGNAL_PATH } from '../../core/protocol/signal-messages.ts';
import { webSocketSignalConnector, type SignalSocket } from '../shared/signal-connector.ts';

/** The signaling URL of a page's origin (ws: for http:, wss: for https:). */
export function signalUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SIGNAL_PATH}`;
}

/** Connects to `baseUrl` (e.g. ws://host/signal) with the browser's WebSocket; bad frames go to `onBadFrame`. */
export function browserSignalConnector(baseUrl: string, onBadFrame: (reason: string) => void = () => {}): SignalConnector {
  return webSocketSignalConnector({ open: (url) => new WebSocket(url) as unknown as SignalSocket }, baseUrl, onBadFrame);
}
