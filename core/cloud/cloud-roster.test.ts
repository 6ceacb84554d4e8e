import { describe, expect, it } from 'vitest';
import { leaderOf, lettersOf, sourceCodes, withJoined, without } from './cloud-roster.ts';
import { admitMessage, cloudTransition } from './cloud-session-machine.ts';
import { candidateTransition, validatorTransition } from './join/cloud-join-machine.ts';
import { LEADER_ONLY_TYPES, type MeshMessage } from '../protocol/mesh-messages.ts';

const view = (order: string[]) => [...lettersOf(order)].map(([id, l]) => `${l}=${id}`).join(' ');

describe('re-lettering', () => {
  it.each([
    // order before, who leaves, letters after
    [['a', 'b', 'c'], 'b', 'A=a B=c'],
    [['a', 'b', 'c'], 'a', 'A=b B=c'],
    [['a', 'b', 'c'], 'c', 'A=a B=b'],
    [['a', 'b', 'c', 'd', 'e'], 'c', 'A=a B=b C=d D=e'],
    [['a', 'b', 'c', 'd', 'e'], 'a', 'A=b B=c C=d D=e'],
    [['a'], 'a', ''],
    [['a', 'b'], 'z', 'A=a B=b'],
  ])('%j without %s → %s', (order, leaving, after) => {
    expect(view(without(order, leaving))).toBe(after);
  });

  it('letters follow join order; a newcomer after a departure takes the next free letter; A leads', () => {
    let order = withJoined(withJoined(withJoined([], 'a'), 'b'), 'c');
    expect(view(order)).toBe('A=a B=b C=c');
    order = withJoined(without(order, 'a'), 'd');
    expect(view(order)).toBe('A=b B=c C=d');
    expect(leaderOf(order)).toBe('b');
    expect(withJoined(order, 'c')).toEqual(order);
    expect(sourceCodes('B', 3)).toEqual(['B1', 'B2', 'B3']);
  });
});

describe('leader rule', () => {
  const order = ['a', 'b', 'c'];
  const messages: MeshMessage[] = [
    { type: 'settings', v: 1, settings: {} },
    { type: 'start-inventory', v: 1, run: 'r' },
    { type: 'start-sync', v: 1, run: 'r' },
    { type: 'restart', v: 1 },
    { type: 'rekey', v: 1, epoch: 1, key: 'A'.repeat(43) },
    { type: 'stop-sync', v: 1, run: 'r' },
  ];
  it.each(messages.map((m) => [m.type, m] as const))('%s is accepted from A only', (_type, message) => {
    expect(admitMessage(order, 'a', message)).toEqual({ ok: true });
    expect(admitMessage(order, 'b', message)).toEqual({ ok: false, refusal: 'not-leader' });
    expect(admitMessage(order, 'c', message)).toEqual({ ok: false, refusal: 'not-leader' });
    expect(admitMessage(order, 'x', message)).toEqual({ ok: false, refusal: 'not-a-member' });
    // Once A left, B is the leader.
    expect(admitMessage(without(order, 'a'), 'b', message)).toEqual({ ok: true });
  });
  it('anyone may send its profile and say goodbye', () => {
    expect(admitMessage(order, 'c', { type: 'bye', v: 1 })).toEqual({ ok: true });
    expect([...LEADER_ONLY_TYPES].sort()).toEqual(['left-out', 'pause-session', 'plan-part', 'rekey', 'restart', 'roster', 'settings', 'signal-home', 'silent', 'start-inventory', 'start-sync', 'stop-sync', 'undo-run']);
  });
});

describe('state tables', () => {
  it('session: restart keeps going from anywhere live and rotates; a member leaving mid-run resets', () => {
    expect(cloudTransition('syncing', 'restart')).toEqual({ state: 'waiting', effects: ['reset-run', 'broadcast-profile', 'rotate-key-if-leader'] });
    expect(cloudTransition('inventory', 'member-left')?.state).toBe('waiting');
    expect(cloudTransition('waiting', 'start-sync')).toBeNull();
    expect(cloudTransition('ended', 'restart')).toBeNull();
  });
  it('candidate: wrong password reports and waits for the server to close; retry reconnects', () => {
    expect(candidateTransition('idle', 'connect')).toEqual({ state: 'connecting', effects: ['open-signal'] });
    expect(candidateTransition('connecting', 'welcome')).toEqual({ state: 'pake', effects: ['send-pake-start'] });
    expect(candidateTransition('pake', 'pake-failed')).toEqual({ state: 'failed', effects: ['send-pake-reply', 'report-failure'] });
    expect(candidateTransition('pake', 'denied').state).toBe('failed');
    expect(candidateTransition('failed', 'connect').state).toBe('connecting');
    expect(candidateTransition('pake', 'handover')).toEqual({ state: 'handed-over', effects: ['adopt-keys'] });
    expect(candidateTransition('handed-over', 'admitted')).toEqual({ state: 'member', effects: ['connect-mesh'] });
    expect(candidateTransition('connecting', 'admitted').state).toBe('failed'); // out of step: stop
  });
  it('validator: success hands over then admits; failure denies; out of step denies', () => {
    expect(validatorTransition('answering', 'pake-success').effects).toEqual(['send-handover', 'admit', 'forget']);
    expect(validatorTransition('waiting', 'pake-failed').effects).toEqual(['deny', 'forget']);
    expect(validatorTransition('waiting', 'pake-success').effects).toEqual(['deny', 'forget']);
  });
});
