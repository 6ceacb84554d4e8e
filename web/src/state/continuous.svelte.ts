/** UI state of continuous synchronization (issue 13): the setting, pause, each member's state, Activity. No sync logic here. */
import type { CloudMember } from '../../../core/cloud/member.ts';
import type { CloudMemberView } from '../../../core/cloud/cloud-session-types.ts';
import type { ActivityEntry } from '../../../core/continuous/activity.ts';
import type { LoopState } from '../../../core/continuous/continuous-machine.ts';
import type { MemberSyncState } from '../../../core/continuous/continuous.ts';
import type { LeftOutWhy } from '../../../core/continuous/left-out.ts';

export class ContinuousState {
  readonly #member: CloudMember;
  enabled = $state(false);
  leader = $state(false);
  sessionPaused = $state(false);
  pausedSelf = $state(false);
  loopState = $state<LoopState>('off');
  activity = $state.raw<readonly ActivityEntry[]>([]);
  /** Member id → its state while continuous synchronization is on. */
  states = $state.raw<Record<string, MemberSyncState>>({});
  /** Sources the rounds leave out now (emptied, unreadable root), as the leader's last round found them. */
  leftOut = $state.raw<readonly [string, LeftOutWhy][]>([]);
  /** Sources back since they were left out (until left out again). */
  back = $state.raw<readonly string[]>([]);
  /** Whether this tab is hidden (Chrome throttles its timers then: the page says so). */
  hidden = $state(typeof document !== 'undefined' && document.visibilityState === 'hidden');

  constructor(member: CloudMember) {
    this.#member = member;
    const c = member.continuous;
    const refresh = () => {
      this.enabled = c.enabled;
      this.leader = member.isLeader;
      this.sessionPaused = c.sessionPaused;
      this.pausedSelf = c.pausedSelf;
      this.loopState = c.loopState;
      this.activity = c.activity;
      this.leftOut = [...c.leftOut];
      this.states = Object.fromEntries(member.session.members.flatMap((m: CloudMemberView) => {
        const s = c.stateOf(m);
        return s ? [[m.id, s]] : [];
      }));
    };
    c.on('changed', refresh);
    c.on('left-out', (code, why) => (this.back = [...this.back.filter((x) => x !== code), ...(why ? [] : [code])]));
    member.session.on('members.changed', refresh);
    refresh();
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', () => {
        this.hidden = document.visibilityState === 'hidden';
        // Back from the background, where Chrome throttled this page's timers: look again at once.
        if (!this.hidden) c.nudge();
      });
    }
  }

  /** Whether this page's Pause applies now: the leader pauses the session, a member itself. */
  get paused(): boolean {
    return this.leader ? this.sessionPaused : this.pausedSelf;
  }

  /** Leader: turns continuous synchronization on or off for every member (the session's setting). */
  setEnabled(on: boolean): void {
    if (!this.leader) return;
    void this.#member.changeSettings({ ...this.#member.settings, continuous: on }).sent.catch(() => undefined);
  }

  /** The leader pauses or resumes the whole session; any other member itself. */
  async setPaused(paused: boolean): Promise<void> {
    if (this.leader) await this.#member.continuous.pauseSession(paused);
    else await this.#member.continuous.pauseSelf(paused);
  }
}
