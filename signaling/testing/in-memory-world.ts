/** Test support: the real signaling hub in memory, members on a loopback mesh, each at its own address; frames recorded. */
import { webcrypto } from 'node:crypto';
import { Hub } from '../hub.ts';
import { readConfig } from '../config.ts';
import { intentOf } from '../app.ts';
import { signalQuery } from '../../adapters/shared/signal-connector.ts';
import { decodeServerMessage, encodeMessage } from '../../core/protocol/signal-codec.ts';
import { LoopbackNetwork } from '../../core/testing/loopback-transport.ts';
import type { SubtleLike } from '../../core/crypto/subtle.ts';
import type { Clock, Random, Timers } from '../../core/ports.ts';
import type { CloudDeps, SignalConnector } from '../../core/cloud/cloud-ports.ts';

const subtle = webcrypto.subtle as unknown as SubtleLike;
const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };
const systemClock: Clock & Timers = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * A world for Cloud Session tests: `deps(name, address?)` builds one member's ports (a new address per member unless
 * given); `frames` holds every frame a client sent to the server, `failures` every address the server counted a
 * failed join for. `clock` (server and members alike) and `env` (server limits) default to real time and defaults.
 */
export function inMemoryWorld(options: { clock?: Clock & Timers; env?: Record<string, string> } = {}) {
  const clock = options.clock ?? systemClock;
  const failures: string[] = [];
  const frames: string[] = [];
  const newHub = () => new Hub({ config: readConfig(options.env ?? {}), clock, random, onJoinFailure: (a) => failures.push(a) });
  let hub = newHub();
  /** While the server is down (`stop`) every connection attempt fails as an unreachable host does (1006). */
  let down = false;
  /** Every open socket's way to fail as when the server process dies: the client sees 1006, the hub is gone. */
  const sockets = new Set<() => void>();
  const net = new LoopbackNetwork();
  let n = 0;
  /** Each member's signaling connections by name, so a test can drop them as a reload does (`drop`). */
  const dropping = new Map<string, Array<() => void>>();
  const severing = new Map<string, Array<() => void>>();
  const connector = (address: string, name: string): SignalConnector => ({
    connect({ session, create, resume, handlers }) {
      let open = true;
      const intent = intentOf(`http://x/signal${signalQuery(session, create, resume?.was)}`);
      if (intent.kind === 'invalid') throw new Error('bad id');
      if (down) {
        void Promise.resolve().then(() => handlers.onClose(1006, 'network error'));
        return { send: () => undefined, close: () => undefined };
      }
      // Deliveries are async both ways, as over a real socket.
      const link = {
        send: (text: string) => void Promise.resolve().then(() => {
          const d = decodeServerMessage(text);
          if (open && d.ok) handlers.onMessage(d.message);
        }),
        close: (code: number, reason: string) => void Promise.resolve().then(() => {
          if (!open) return;
          open = false;
          connection?.closed();
          handlers.onClose(code, reason);
        }),
      };
      const connection = hub.open({ address, intent, link, iceServers: [], blockedUntil: null });
      const die = () => {
        if (!open) return;
        open = false;
        void Promise.resolve().then(() => handlers.onClose(1006, 'network error'));
      };
      sockets.add(die);
      const severs = severing.get(name) ?? [];
      severs.push(() => {
        if (!open) return;
        connection?.closed();
        die();
      });
      severing.set(name, severs);
      const send = (m: Parameters<ReturnType<SignalConnector['connect']>['send']>[0]) => {
        const text = encodeMessage(m);
        frames.push(text);
        if (open) connection?.receive(text);
      };
      if (resume) send({ type: 'resume', token: resume.token });
      // A reload: the socket just goes, no `leave`; the page hears nothing more.
      const drops = dropping.get(name) ?? [];
      drops.push(() => {
        if (!open) return;
        open = false;
        connection?.closed();
      });
      dropping.set(name, drops);
      return {
        send,
        close: () => {
          if (open) send({ type: 'leave' });
          link.close(1000, '');
        },
      };
    },
  });
  const deps = (name: string, address?: string): CloudDeps => ({
    subtle, random, clock, deviceName: name, signal: connector(address ?? `192.0.2.${++n}`, name),
    transport: ({ self }) => net.transportFor(self),
  });
  /** Drops every signaling connection of the member `name` without a `leave`, as a page reload or a lost network does. */
  const drop = (name: string) => {
    for (const d of dropping.get(name)?.splice(0) ?? []) d();
  };
  /** The network between member `name` and the server fails (the server holds its slot, the member sees 1006); the server stays up. */
  const sever = (name: string) => {
    for (const s of severing.get(name)?.splice(0) ?? []) s();
  };
  /** The server process dies: every socket fails (1006) and whatever it knew is gone; nothing connects until `start`. */
  const stop = () => {
    down = true;
    for (const die of [...sockets]) die();
    sockets.clear();
  };
  /** A fresh server process on the same address, knowing nothing of the sessions before. */
  const start = () => {
    hub = newHub();
    down = false;
  };
  return {
    get hub() {
      return hub;
    },
    net, frames, failures, deps, drop, sever, stop, start,
  };
}
