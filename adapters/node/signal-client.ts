/** Node's SignalConnector (adapters/shared/signal-connector.ts over `ws`) and the signaling URL of a server. */
import WebSocket from 'ws';
import type { SignalConnector } from '../../core/cloud/cloud-ports.ts';
import { SIGNAL_PATH } from '../../core/protocol/signal-messages.ts';
import { webSocketSignalConnector, type SignalSocket } from '../shared/signal-connector.ts';

/**
 * The signaling URL of a server given as http(s)://host[:port][/prefix] (as `--server` takes it): ws: for http:,
 * wss: for https:, with /signal after any path prefix. ws(s): URLs are taken as they are. Throws on anything else.
 */
export function signalUrlForServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`not a server URL: ${server}`);
  }
  const scheme = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }[url.protocol];
  if (!scheme) throw new Error(`not an http(s) or ws(s) server URL: ${server}`);
  url.protocol = scheme;
  if (!url.pathname.endsWith(SIGNAL_PATH)) url.pathname = url.pathname.replace(/\/+$/, '') + SIGNAL_PATH;
  url.search = '';
  url.hash = '';
  return url.href;
}

/** Connects to `baseUrl` (e.g. ws://host/signal) with `ws`; bad frames go to `onBadFrame`. */
export function nodeSignalConnector(baseUrl: string, onBadFrame: (reason: string) => void = () => {}): SignalConnector {
  return webSocketSignalConnector({
    open: (url) => new WebSocket(url) as unknown as SignalSocket,
    // `ws` throws nothing on close() while connecting but reports an error; terminate() just drops the attempt.
    abortConnecting: (socket) => (socket as unknown as WebSocket).terminate(),
  }, baseUrl, onBadFrame);
}
