/**
 * How `quintet run <profile> --extend 30m` reaches the `quintet run` of the same profile that is waiting: a local
 * socket (node:net) at `$QUINTET_HOME/control/<profile hash>.sock` (a named pipe on Windows), one JSON line each way.
 * It also keeps one profile from running twice at once.
 */
import { createServer, connect, type Server } from 'node:net';
import { createHash } from 'node:crypto';
import { chmod, mkdir, realpath, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import { msg } from './i18n.ts';

export type ControlRequest = { extend: number } | { ping: true };
export interface ControlReply {
  ok: boolean;
  message: string;
  pid?: number;
}

/** A Unix socket path must fit in sun_path (104 bytes on macOS, 108 on Linux). */
const MAX_SOCKET_PATH = 100;
const ANSWER_MS = 10_000;

/** The control address of a profile file: the same for every spelling of its path. */
export async function controlPath(home: string, profileFile: string): Promise<string> {
  const real = await realpath(resolve(profileFile)).catch(() => resolve(profileFile));
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\quintet-${hash}`;
  const inHome = join(home, 'control', `${hash}.sock`);
  if (inHome.length <= MAX_SOCKET_PATH) return inHome;
  return join(tmpdir(), `quintet-${userInfo().uid}-${hash}.sock`);
}

/** Sends one request and resolves the reply; rejects with code ENOENT/ECONNREFUSED when nobody listens. */
export function sendControl(path: string, request: ControlRequest): Promise<ControlReply> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect(path);
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error(msg('run.controlNoAnswer'))), ANSWER_MS);
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        resolvePromise(JSON.parse(text) as ControlReply);
      } catch {
        reject(new Error(msg('run.controlUnreadable', { text: JSON.stringify(text.slice(0, 200)) })));
      }
    });
  });
}

export interface ControlServer {
  close(): Promise<void>;
}

/** A profile that already has a listening `quintet run`. */
export class AlreadyRunning extends Error {
  override readonly name = 'AlreadyRunning';
  constructor(readonly pid: number | undefined) {
    super(`this profile is already running${pid ? ` (process ${pid})` : ''}`);
  }
}

/**
 * Listens at `path` and answers each request with `handle`. A socket file left by a process that died is replaced;
 * a live one means the profile is running elsewhere (AlreadyRunning). Only this user can connect (folder mode 0700).
 */
export async function serveControl(path: string, handle: (request: ControlRequest) => ControlReply): Promise<ControlServer> {
  const server: Server = createServer((socket) => {
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      const newline = text.indexOf('\n');
      if (newline < 0) {
        if (text.length > 4096) socket.destroy();
        return;
      }
      let reply: ControlReply;
      try {
        reply = handle(JSON.parse(text.slice(0, newline)) as ControlRequest);
      } catch (error) {
        reply = { ok: false, message: msg('run.controlBadRequest', { message: (error as Error).message }) };
      }
      socket.end(JSON.stringify({ ...reply, pid: process.pid }));
    });
    socket.on('error', () => undefined);
  });
  if (process.platform !== 'win32') {
    const dir = join(path, '..');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700).catch(() => undefined);
  }
  const listen = () =>
    new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(path, () => {
        server.off('error', fail);
        ok();
      });
    });
  try {
    await listen();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const alive = await sendControl(path, { ping: true }).catch(() => undefined);
    if (alive) throw new AlreadyRunning(alive.pid);
    await unlink(path).catch(() => undefined);
    await listen();
  }
  return { close: () => new Promise((ok) => server.close(() => ok())) };
}
