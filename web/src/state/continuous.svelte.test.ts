import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../core/events.ts';
import type { CloudMember } from '../../../core/cloud/member.ts';
import type { CloudEvents, CloudMemberView } from '../../../core/cloud/cloud-session-types.ts';
import type { ActivityEntry } from '../../../core/continuous/activity.ts';
import { DEFAULT_SETTINGS, type SessionSettings } from '../../../core/settings/settings.ts';
import type { LeftOutWhy } from '../../../core/continuous/left-out.ts';
import { ContinuousState } from './continuous.svelte.ts';

/** A stand-in member: the session's and continuous part's emitters and the values the state reads; calls recorded. */
function fakeMember(leader: boolean) {
  const calls: string[] = [];
  const members = [{ id: 'm1', letter: 'A', self: leader, connected: true }, { id: 'm2', letter: 'B', self: !leader, connected: false }] as CloudMemberView[];
  const session = Object.assign(new Emitter<CloudEvents>(), { members });
  const continuous = Object.assign(new Emitter<{ changed: []; 'left-out': [string, LeftOutWhy | null] }>(), {
    leftOut: new Map<string, LeftOutWhy>(), enabled: false, sessionPaused: false, pausedSelf: false, loopState: 'off', activity: [] as ActivityEntry[],
    stateOf: (m: CloudMemberView) => (continuous.enabled ? (m.connected ? 'watching' : 'offline') : null),
    pauseSession: async (p: boolean) => void calls.push(`pauseSession ${p}`),
    pauseSelf: async (p: boolean) => void calls.push(`pauseSelf ${p}`),
    nudge: () => void calls.push('nudge'),
  });
  const member = {
    session, continuous, isLeader: leader, settings: { ...DEFAULT_SETTINGS } as SessionSettings,
    changeSettings: (s: SessionSettings) => (calls.push(`changeSettings continuous=${s.continuous}`), { issues: [], sent: Promise.resolve() }),
  };
  return { member: member as unknown as CloudMember, continuous, calls };
}

describe('ContinuousState only projects member.continuous and calls it', () => {
  it('follows the engine: on, loop state, member states, Activity', () => {
    const { member, continuous } = fakeMember(false);
    const s = new ContinuousState(member);
    expect([s.enabled, s.states]).toEqual([false, {}]);
    continuous.enabled = true;
    continuous.loopState = 'running';
    continuous.activity = [{ at: 1, member: 'B', target: 'B1', path: 'x.txt', kind: 'created', from: 'A1', bytes: 3 }];
    continuous.emit('changed');
    expect(s.enabled).toBe(true);
    expect(s.loopState).toBe('running');
    expect(s.states).toEqual({ m1: 'watching', m2: 'offline' });
    expect(s.activity.map((e) => e.path)).toEqual(['x.txt']);
  });

  it('shows the sources the rounds leave out, and one back until it is left out again', () => {
    const { member, continuous } = fakeMember(false);
    const s = new ContinuousState(member);
    continuous.leftOut = new Map([['B1', 'unreadable'], ['C1', 'emptied']]);
    continuous.emit('left-out', 'B1', 'unreadable');
    continuous.emit('left-out', 'C1', 'emptied');
    continuous.emit('changed');
    expect(s.leftOut).toEqual([['B1', 'unreadable'], ['C1', 'emptied']]);
    continuous.leftOut = new Map([['C1', 'emptied']]);
    continuous.emit('left-out', 'B1', null);
    continuous.emit('changed');
    expect([s.leftOut, s.back]).toEqual([[['C1', 'emptied']], ['B1']]);
    continuous.emit('left-out', 'B1', 'emptied');
    expect(s.back).toEqual([]);
  });

  it('the leader turns it on and pauses the session; a member can only pause itself', async () => {
    const lead = fakeMember(true);
    const l = new ContinuousState(lead.member);
    l.setEnabled(true);
    await l.setPaused(true);
    const other = fakeMember(false);
    const m = new ContinuousState(other.member);
    m.setEnabled(true); // not the leader: nothing sent
    await m.setPaused(true);
    expect(lead.calls).toEqual(['changeSettings continuous=true', 'pauseSession true']);
    expect(other.calls).toEqual(['pauseSelf true']);
  });
});
