/** Test support for the hostile join suites: a signaling server that rewrites what one client hears, and a raw candidate. */
import { JoinCandidate } from '../crypto/join.ts';
import type { ServerMessage, WelcomeMessage } from '../protocol/signal-messages.ts';
import type { CloudDeps } from '../cloud/cloud-ports.ts';

/** What a hostile server does to one message meant for this client: change it, drop it (null) or add some. */
export type Rewrite = (message: ServerMessage) => ServerMessage | ServerMessage[] | null;

/** The same member, but everything the server says to it passes through `rewrite` first (a server that lies to it). */
export function tampered(deps: CloudDeps, rewrite: Rewrite): CloudDeps {
  return {
    ...deps,
    signal: {
      connect: ({ session, handlers }) => deps.signal.connect({
        session,
        handlers: {
          onClose: (code, reason) => handlers.onClose(code, reason),
          onMessage: (message) => {
            const out = rewrite(message);
            for (const m of out === null ? [] : Array.isArray(out) ? out : [out]) handlers.onMessage(m);
          },
        },
      }),
    },
  };
}

/**
 * A candidate driven by hand over the real signaling connection and the real CPace code: it sends `j1.a` with
 * `password` and records whether the validator answered (`j1.b`); the test decides what happens next.
 */
export function rawCandidate(deps: CloudDeps, sessionId: string, password: string) {
  const bodies: string[] = [];
  let welcome: WelcomeMessage | null = null;
  let closedWith: number | null = null;
  let candidate: JoinCandidate | null = null;
  const connection = deps.signal.connect({
    session: sessionId,
    handlers: {
      onMessage: (m) => {
        if (m.type === 'welcome') welcome = m;
        if (m.type === 'envelope') bodies.push(m.body);
      },
      onClose: (code) => void (closedWith = code),
    },
  });
  const validator = () => (welcome!.members[0] as { id: string }).id;
  return {
    get welcome() {
      return welcome;
    },
    /** Bodies the validator sent (an answer to a guess is one `j1.b…`). */
    bodies,
    get closed() {
      return closedWith;
    },
    /** Sends the first PAKE message (a guess). */
    async guess(): Promise<void> {
      const w = welcome!;
      candidate = new JoinCandidate({ subtle: deps.subtle, random: deps.random, sessionId: w.session, candidateId: w.id, validatorId: validator(), password });
      connection.send({ type: 'send', to: validator(), body: await candidate.start() });
    },
    /** Feeds the validator's answer to the real candidate code and sends what it says (`j1.c` or `j1.x`). */
    async confirm(): Promise<string | undefined> {
      const r = await candidate!.receive(bodies[0]!);
      if (r.send !== undefined) connection.send({ type: 'send', to: validator(), body: r.send });
      return r.state;
    },
    close: () => connection.close(),
  };
}
