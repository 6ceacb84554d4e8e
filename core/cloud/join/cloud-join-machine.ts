/** The join, as two `{state, event} → {state, effects}` tables: the candidate's and the validator's (docs/protocol.md §9). */

/** Where a candidate is. `failed` carries why, in `JoinFailureReason`. */
export type CandidateState = 'idle' | 'connecting' | 'pake' | 'handed-over' | 'member' | 'failed';

/** What happens to a candidate. */
export type CandidateEvent =
  | 'connect' // the user clicked "Join cloud session"
  | 'welcome' // the server accepted the connection as a candidate
  | 'pake-pending' // a PAKE step went well; more to come
  | 'pake-failed' // the PAKE failed on this side (wrong password, malformed reply)
  | 'handover' // the validator's sealed session key and roster opened
  | 'admitted' // the server made us a member
  | 'denied' // closed 4401: the validator reported a failed PAKE
  | 'closed' // the connection closed for another reason (no session, blocked, full, network)
  | 'validator-left' // the validator went away mid-PAKE
  | 'hub-unproven' // a standing group's run: the handover opened but does not prove its sender is the group's hub
  | 'cancel'; // the user gave up

/** What the candidate does after a transition. */
export type CandidateEffect = 'open-signal' | 'send-pake-start' | 'send-pake-reply' | 'close-signal' | 'adopt-keys' | 'connect-mesh' | 'report-failure';

/** One row's outcome. */
export interface JoinTransition<S, E> {
  state: S;
  effects: readonly E[];
}

const fail = (...effects: CandidateEffect[]): JoinTransition<CandidateState, CandidateEffect> => ({ state: 'failed', effects: [...effects, 'report-failure'] });
const cancel: JoinTransition<CandidateState, CandidateEffect> = { state: 'idle', effects: ['close-signal'] };

/**
 * The candidate's table. Absent pairs are protocol errors: the candidate stops (`failed`, reason 'protocol').
 *
 * The table is drawn in docs/protocol.md §9, kept equal to this one by core/docs-tables.test.ts.
 */
export const CANDIDATE_TRANSITIONS: Readonly<Record<CandidateState, Partial<Record<CandidateEvent, JoinTransition<CandidateState, CandidateEffect>>>>> = {
  idle: { connect: { state: 'connecting', effects: ['open-signal'] }, cancel },
  connecting: { welcome: { state: 'pake', effects: ['send-pake-start'] }, closed: fail(), denied: fail(), cancel },
  pake: {
    'pake-pending': { state: 'pake', effects: ['send-pake-reply'] },
    // The connection stays open: the validator's deny is what the server counts against this address.
    'pake-failed': fail('send-pake-reply'),
    handover: { state: 'handed-over', effects: ['adopt-keys'] },
    denied: fail(),
    closed: fail(),
    'validator-left': fail('close-signal'),
    'hub-unproven': fail('close-signal'),
    cancel,
  },
  'handed-over': { admitted: { state: 'member', effects: ['connect-mesh'] }, denied: fail(), closed: fail(), 'validator-left': fail('close-signal'), cancel },
  member: {},
  failed: { connect: { state: 'connecting', effects: ['open-signal'] }, denied: { state: 'failed', effects: [] }, closed: { state: 'failed', effects: [] }, cancel },
};

/** The candidate's next state and effects; an absent pair stops the join. */
export function candidateTransition(state: CandidateState, event: CandidateEvent): JoinTransition<CandidateState, CandidateEffect> {
  return CANDIDATE_TRANSITIONS[state][event] ?? { state: 'failed', effects: ['close-signal', 'report-failure'] };
}

/** Why a join failed, for the UI to explain (it translates the code). */
export type JoinFailureReason =
  | 'wrong-password' | 'no-such-session' | 'blocked' | 'session-full' | 'validator-left' | 'timeout' | 'rate-limited' | 'network' | 'protocol'
  // Standing groups (docs/protocol.md §11): the rendezvous is taken, the server predates rendezvous, the leader is not the hub.
  | 'rendezvous-taken' | 'rendezvous-unsupported' | 'not-hub';

/** Where a validator is with one candidate. */
export type ValidatorState = 'waiting' | 'answering' | 'admitted' | 'denied' | 'gone';

/** What happens to a validator's exchange with one candidate. */
export type ValidatorEvent = 'pake-pending' | 'pake-success' | 'pake-failed' | 'candidate-left' | 'deadline';

/** What the validator does after a transition. */
export type ValidatorEffect = 'send-reply' | 'send-handover' | 'admit' | 'deny' | 'forget';

/**
 * The validator's table, one instance per candidate (a member validates only candidates that address it).
 *
 * The table is drawn in docs/protocol.md §9, kept equal to this one by core/docs-tables.test.ts.
 */
export const VALIDATOR_TRANSITIONS: Readonly<Record<ValidatorState, Partial<Record<ValidatorEvent, JoinTransition<ValidatorState, ValidatorEffect>>>>> = {
  waiting: {
    'pake-pending': { state: 'answering', effects: ['send-reply'] },
    'pake-failed': { state: 'denied', effects: ['deny', 'forget'] },
    'candidate-left': { state: 'gone', effects: ['forget'] },
    deadline: { state: 'denied', effects: ['deny', 'forget'] },
  },
  answering: {
    'pake-pending': { state: 'answering', effects: ['send-reply'] },
    'pake-success': { state: 'admitted', effects: ['send-handover', 'admit', 'forget'] },
    'pake-failed': { state: 'denied', effects: ['deny', 'forget'] },
    'candidate-left': { state: 'gone', effects: ['forget'] },
    deadline: { state: 'denied', effects: ['deny', 'forget'] },
  },
  admitted: {},
  denied: {},
  gone: {},
};

/** The validator's next state and effects; an absent pair denies (a candidate out of step is not trusted). */
export function validatorTransition(state: ValidatorState, event: ValidatorEvent): JoinTransition<ValidatorState, ValidatorEffect> {
  return VALIDATOR_TRANSITIONS[state][event] ?? { state: 'denied', effects: ['deny', 'forget'] };
}
