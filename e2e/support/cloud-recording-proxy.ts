/** A reverse proxy in front of the e2e server that records every WebSocket frame clients send to the signaling server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** A running proxy: pages opened on `url` reach the real server through it; `frames` holds what clients sent. */
export interface RecordingProxy {
  url: string;
  /** Every text frame a client sent towards /signal, in order (and any binary frame, as base64). */
  frames: string[];
  close(): Promise<void>;
}

/** Proxies HTTP and WebSocket traffic on a free port to `target` (e.g. http://localhost:8797). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const frames: string[] = [];
  const server = http.createServer((req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (client) => {
      const ws = new WebSocket(`ws://${upstream.host}${req.url ?? '/'}`);
      const queued: string[] = [];
      client.on('message', (data, isBinary) => {
        const text = isBinary ? Buffer.from(data as Buffer).toString('base64') : data.toString();
        frames.push(text);
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
        else queued.push(text);
      });
      ws.on('open', () => queued.splice(0).forEach((t) => ws.send(t)));
      ws.on('message', (data) => client.send(data.toString()));
      ws.on('close', (code, reason) => client.close(code >= 4000 || code === 1000 ? code : 1011, reason.toString()));
      client.on('close', () => ws.close());
      ws.on('error', () => client.terminate());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    frames,
    close: () => new Promise<void>((resolve) => {
      for (const c of wss.clients) c.terminate();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
