/** Creating and joining a Cloud Session: the signaling connection until we are a member, then a CloudSession. */
import { generatePassword } from '../../crypto/password.ts';
import { newSessionKey } from '../../crypto/key-schedule.ts';
import { bodyKind } from '../../crypto/envelope.ts';
import { JoinCandidate, type Handover } from '../../crypto/join.ts';
import * as v from 'valibot';
import { JoinRoster } from '../../protocol/mesh-messages.ts';
import { CloseCode } from '../../protocol/close-codes.ts';
import type { ServerMessage, WelcomeMessage } from '../../protocol/signal-messages.ts';
import type { CloudDeps, SignalConnection } from '../cloud-ports.ts';
import type { GroupSessionOptions } from '../cloud-session-types.ts';
import { CloudSession } from '../cloud-session.ts';
import { candidateTransition, type CandidateEvent, type CandidateState, type JoinFailureReason } from './cloud-join-machine.ts';

/** A join or start that did not succeed, with a reason the UI translates. */
export class CloudJoinError extends Error {
  override readonly name = 'CloudJoinError';
  constructor(readonly reason: JoinFailureReason) {
    super(reason);
  }
}

/** The reason a close before membership stands for. */
export function closeReason(code: number): JoinFailureReason {
  if (code === CloseCode.JoinDenied) return 'wrong-password';
  if (code === CloseCode.NoSuchSession) return 'no-such-session';
  if (code === CloseCode.Blocked) return 'blocked';
  if (code === CloseCode.SessionFull) return 'session-full';
  if (code === CloseCode.SessionExists) return 'rendezvous-taken';
  if (code === CloseCode.IdleTimeout) return 'timeout'; // the join deadline passed (or the socket was silent)
  // Too many sessions, connections or messages from this address: the server answered, so it is not a network fault.
  if (code === CloseCode.RateLimited) return 'rate-limited';
  return 'network';
}

/** A standing group's run as its hub creates it (docs/protocol.md §11): under the rendezvous, with the derived password. */
export interface GroupStart extends GroupSessionOptions {
  rendezvous: string;
  password: string;
}

/**
 * Creates a session: the server allocates the ID; this browser generates the password and the 256-bit key. A standing
 * group's hub creates it under the run's rendezvous with the run's password instead (`group`).
 */
export function startCloudSession(deps: CloudDeps, group?: GroupStart): Promise<CloudSession> {
  return new Promise((resolve, reject) => {
    let session: CloudSession | null = null;
    const connection: SignalConnection = deps.signal.connect({
      session: group?.rendezvous ?? null,
      ...(group ? { create: true } : {}),
      handlers: {
        onMessage: (message) => {
          if (session) return session.onSignal(message);
          if (message.type !== 'welcome' || message.role !== 'member') return;
          // A server older than rendezvous reads the request as an ad-hoc create and names the session itself.
          if (group && message.session !== group.rendezvous) {
            connection.close();
            return reject(new CloudJoinError('rendezvous-unsupported'));
          }
          session = new CloudSession({
            deps, connection, sessionId: message.session, self: message.id, iceServers: message.iceServers, limits: message.limits,
            members: [{ id: message.id, address: message.address }],
            password: group?.password ?? generatePassword(deps.random), sessionKey: newSessionKey(deps.random), epoch: 0,
            ...(group ? { group: { proveHub: group.proveHub } } : {}),
            ...(message.resume ? { resumeToken: message.resume } : {}),
          });
          resolve(session);
        },
        onClose: (code) => (session ? session.onSignalClosed(code) : reject(new CloudJoinError(closeReason(code)))),
      },
    });
  });
}

/** Progress of a join, for the UI. */
export type JoinProgress = CandidateState;

/** What a join needs: the session (or a standing group's rendezvous) and its password. */
export interface JoinInput {
  sessionId: string;
  password: string;
  onProgress?: (state: JoinProgress) => void;
  /**
   * A standing group's run: whether the sealed roster's `hubProof` proves the validator is the group's hub, for this
   * join's `binding` (docs/protocol.md §11). A join that does not prove it fails with `not-hub`.
   */
  verifyHub?: (hubProof: string | undefined, binding: Uint8Array) => Promise<boolean>;
}

/**
 * Joins a session by CPace with its member A (the validator), following the candidate table. Resolves with the
 * session once the server admitted us and the sealed handover opened; rejects with a CloudJoinError otherwise.
 */
export function joinCloudSession(deps: CloudDeps, input: JoinInput): Promise<CloudSession> {
  return new Promise((resolve, reject) => {
    let state: CandidateState = 'idle';
    let welcome: WelcomeMessage | null = null;
    let candidate: JoinCandidate | null = null;
    let handover: Handover | null = null;
    let session: CloudSession | null = null;
    let failure: JoinFailureReason = 'protocol';
    /** Members the server said left while we joined: the sealed roster was taken before they went. */
    const departed = new Set<string>();
    let queue = Promise.resolve();

    const step = (event: CandidateEvent, send?: string): void => {
      const t = candidateTransition(state, event);
      state = t.state;
      input.onProgress?.(state);
      for (const effect of t.effects) {
        if ((effect === 'send-pake-start' || effect === 'send-pake-reply') && send !== undefined && welcome) {
          connection.send({ type: 'send', to: validatorOf(welcome), body: send });
        } else if (effect === 'close-signal') connection.close();
        else if (effect === 'report-failure') reject(new CloudJoinError(failure));
      }
    };

    const onMessage = async (message: ServerMessage): Promise<void> => {
      if (session) return session.onSignal(message);
      if (message.type === 'welcome' && message.role === 'candidate' && state === 'connecting') {
        welcome = message;
        if (message.members.length === 0) return ((failure = 'no-such-session'), step('closed'));
        candidate = new JoinCandidate({ subtle: deps.subtle, random: deps.random, sessionId: message.session, candidateId: message.id, validatorId: validatorOf(message), password: input.password });
        return step('welcome', await candidate.start());
      }
      if (message.type === 'envelope' && candidate && welcome && message.from === validatorOf(welcome) && bodyKind(message.body) === 'join') {
        const r = await candidate.receive(message.body);
        if (r.state === 'pending') return step('pake-pending', r.send);
        if (r.state === 'failure') {
          failure = r.reason === 'wrong-password' ? 'wrong-password' : 'protocol';
          return step('pake-failed', r.send);
        }
        const roster = v.safeParse(JoinRoster, r.value.roster);
        if (!roster.success) return ((failure = 'protocol'), step('pake-failed'));
        // A group member who knows the run's password could lead a session under the rendezvous; only the hub can sign.
        if (input.verifyHub && !(r.value.binding && (await input.verifyHub(roster.output.hubProof, r.value.binding)))) {
          failure = 'not-hub';
          return step('hub-unproven');
        }
        handover = r.value;
        return step('handover');
      }
      if (message.type === 'admitted' && welcome && handover) {
        const roster = v.parse(JoinRoster, handover.roster);
        step('admitted');
        // Join order (letters, the leader) comes from the validator's sealed roster, never from the server's
        // `admitted` list, which only supplies addresses: a server that reorders cannot pick our leader.
        // After a re-home the server knows some members under other IDs than the mesh's (the roster's `aliases`).
        const meshOf = new Map(Object.entries(roster.aliases ?? {}).map(([mesh, server]) => [server, mesh]));
        const addresses = new Map(message.members.map((m) => [meshOf.get(m.id) ?? m.id, m.address ?? '']));
        const order = roster.members.filter((id) => !departed.has(id) && id !== welcome!.id);
        session = new CloudSession({
          deps, connection, sessionId: welcome.session, self: welcome.id, iceServers: welcome.iceServers, limits: welcome.limits,
          members: [...order.map((id) => ({ id, address: addresses.get(id) ?? '' })), { id: welcome.id, address: welcome.address }],
          password: roster.password, sessionKey: handover.sessionKey, epoch: handover.epoch,
          ...(input.verifyHub ? { group: {} } : {}),
          ...(message.resume ? { resumeToken: message.resume } : {}), ...(roster.aliases ? { aliases: roster.aliases } : {}),
        });
        session.connectAll();
        return resolve(session);
      }
      if (message.type === 'left') departed.add(message.id);
      if (message.type === 'left' && welcome && message.id === validatorOf(welcome)) {
        failure = 'validator-left';
        step('validator-left');
      }
    };

    const connection = deps.signal.connect({
      session: input.sessionId,
      handlers: {
        // Steps run one at a time: a PAKE reply must not overtake the step before it.
        onMessage: (message) => void (queue = queue.then(() => onMessage(message))),
        onClose: (code) =>
          void (queue = queue.then(() => {
            if (session) return session.onSignalClosed(code);
            failure = closeReason(code);
            step(code === CloseCode.JoinDenied ? 'denied' : 'closed');
          })),
      },
    });
    step('connect');
  });
}

function validatorOf(welcome: WelcomeMessage): string {
  return (welcome.members[0] as { id: string }).id;
}
