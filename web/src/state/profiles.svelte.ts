/**
 * Saved profiles in the PWA: save a local session's set-up (folders, settings, preset or rules), run one now or at its
 * daily time while the app is open, stop it. A run goes through the same LocalSessionState as the page, so it is
 * recorded in the history like any other.
 */
import { ProfileStore, type SavedProfile, type SourceHandle } from '../../../adapters/browser/profile-store.ts';
import type { LocalProfile } from '../../../core/unattended/profile.ts';
import type { SessionSettings } from '../../../core/settings/settings.ts';
import type { Rule } from '../../../core/plan/rules-types.ts';
import { recordFromLocalRun } from '../../../core/unattended/record-from-result.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { Params } from '../../../core/i18n/format.ts';
import { LocalSessionState } from './local-session.svelte.ts';
import { history, idSuffix } from './run-history.svelte.ts';
import { liveLog } from './live-log.svelte.ts';
import { crossedTime } from './daily-time.ts';

/** How often the page looks whether a schedule is due. */
export const CHECK_MS = 30_000;

interface PermissionHandle {
  queryPermission(options: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  requestPermission(options: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
}

export type ProfileStep = 'permission' | 'inventory' | 'syncing';
const emptyPlan = { actions: [], refusals: [], summary: { copies: 0, overwrites: 0, directories: 0, deletions: 0, bytes: 0 } };

/** The folders a profile writes to: its `to`, every folder for two-way and rules. */
function writtenCodes(profile: LocalProfile, codes: string[]): Set<string> {
  if (profile.preset && profile.preset !== 'two-way') return new Set([profile.to ?? 'A2']);
  return new Set(codes);
}

class ProfilesState {
  readonly store = new ProfileStore();
  saved = $state.raw<readonly SavedProfile[]>([]);
  running = $state<{ name: string; step: ProfileStep } | null>(null);
  /** The last outcome to say, as a message key (translated where shown). */
  notice = $state.raw<{ key: MessageKey; params: Params; error: boolean } | null>(null);
  #session: LocalSessionState | null = null;
  #stopped = false;
  #timer: ReturnType<typeof setInterval> | null = null;
  #lastCheck = Date.now();

  async refresh(): Promise<void> {
    this.saved = await this.store.list();
  }

  /** Saves the page's set-up under `name` (replacing a profile of that name); throws when there is no preset or rules. */
  async saveFrom(session: LocalSessionState, name: string): Promise<void> {
    const preset = session.lastPreset;
    const rules = session.rules;
    if (!preset && rules.length === 0) throw new Error('no preset or rules');
    const existing = await this.store.get(name);
    const profile: LocalProfile = {
      v: 1, kind: 'local', name,
      sources: session.sources.map((s) => s.name),
      ...(preset ? (preset.kind === 'two-way' ? { preset: 'two-way' as const } : { preset: preset.kind, from: preset.from, to: preset.to }) : { rules: rules as unknown as LocalProfile['rules'] }),
      settings: { ...session.settings },
      ...(existing?.profile.schedule ? { schedule: existing.profile.schedule } : {}),
    };
    const handles: Record<string, SourceHandle> = Object.fromEntries(session.sources.map((s, i) => [s.code, session.handles[i]!]));
    await this.store.save({ name, profile, handles, savedAt: Date.now() });
    await this.refresh();
  }

  /** Sets (HH:MM) or removes (null) the daily time of a profile. */
  async setSchedule(name: string, at: string | null): Promise<void> {
    const saved = await this.store.get(name);
    if (!saved) return;
    const { schedule: _old, ...rest } = saved.profile;
    const profile = at ? { ...rest, schedule: { at, daily: true } } : rest;
    await this.store.save({ ...saved, profile: profile as SavedProfile['profile'] });
    await this.refresh();
    this.startTimer();
  }

  async remove(name: string): Promise<void> {
    await this.store.remove(name);
    await this.refresh();
  }

  /**
   * Runs a saved local profile now. `interactive` (a click): folder access is asked again where the browser forgot
   * it, within that click. From the timer nobody can answer a prompt: a folder without access fails the run, recorded.
   */
  async run(name: string, interactive: boolean): Promise<void> {
    if (this.running) {
      this.notice = { key: 'profiles.busy', params: {}, error: true };
      return;
    }
    const saved = await this.store.get(name);
    if (!saved || saved.profile.kind !== 'local') return;
    const profile = saved.profile;
    const codes = Object.keys(saved.handles).sort();
    this.#stopped = false;
    this.running = { name, step: 'permission' };
    const start = Date.now();
    liveLog.add({ key: interactive ? 'log.run.byHand' : 'log.run.bySchedule', params: { name } });
    try {
      const writes = writtenCodes(profile, codes);
      const refused: string[] = [];
      for (const code of codes) {
        const handle = saved.handles[code] as unknown as PermissionHandle;
        const mode = writes.has(code) ? 'readwrite' : 'read';
        let state = await handle.queryPermission({ mode });
        if (state !== 'granted' && interactive) state = await handle.requestPermission({ mode });
        if (state !== 'granted') refused.push(`${code} (${saved.handles[code]!.name})`);
      }
      if (refused.length > 0) {
        this.notice = { key: 'profiles.permissionNeeded', params: { names: refused.join(', ') }, error: true };
        await this.#recordFailure(name, start, `permission-denied: no access to ${refused.join(', ')}`);
        return;
      }
      const session = (this.#session = new LocalSessionState());
      session.profileName = name;
      if (profile.settings) session.updateSettings(profile.settings as Partial<SessionSettings>);
      for (const code of codes) await session.addHandle(saved.handles[code]!);
      this.running = { name, step: 'inventory' };
      await session.inventory();
      if (this.#stopped || session.failure || !session.comparison) {
        await this.#recordFailure(name, start, session.failure ? `${session.failure.code}: ${session.failure.message}` : 'no comparison', this.#stopped);
        return;
      }
      if (profile.preset) session.applyPreset(profile.preset, profile.from ?? 'A1', profile.to ?? 'A2');
      else {
        session.rules = (profile.rules ?? []) as unknown as Rule[];
        session.applyRules();
      }
      this.running = { name, step: 'syncing' };
      await session.synchronize();
      const status = session.record?.status ?? 'failed';
      this.notice = { key: 'profiles.done', params: { name, status }, error: status !== 'ok' };
      if (profile.schedule && !profile.schedule.daily) await this.setSchedule(name, null);
    } catch (error) {
      await this.#recordFailure(name, start, String((error as Error)?.message ?? error));
    } finally {
      this.running = null;
      this.#session?.dispose();
      this.#session = null;
    }
  }

  /** Stops the run under way: the inventory is cancelled, or the synchronization stops after the item in progress. */
  stop(): void {
    this.#stopped = true;
    this.#session?.cancel();
  }

  /** A run that ended before its synchronization: recorded all the same (failed, or stopped), never silent. */
  async #recordFailure(name: string, start: number, reason: string, stopped = false): Promise<void> {
    const record = recordFromLocalRun({ profile: name, plan: emptyPlan, result: null, failure: reason, start, end: Date.now(), suffix: idSuffix() });
    if (stopped) {
      record.status = 'stopped';
      record.message = 'stopped before the synchronization';
    }
    if (!this.notice?.error) this.notice = { key: 'profiles.failed', params: { name, reason }, error: true };
    liveLog.add({ key: 'log.run.failed', params: { name, status: { key: `history.status.${record.status}` }, reason } }, 'error');
    await history.record(record);
  }

  /** Starts the 30-second check of the daily times (once per page). */
  startTimer(): void {
    if (this.#timer || !this.saved.some((s) => s.profile.schedule)) return;
    this.#lastCheck = Date.now();
    this.#timer = setInterval(() => void this.#tick(), CHECK_MS);
  }

  async #tick(): Promise<void> {
    const now = Date.now();
    const prev = this.#lastCheck;
    this.#lastCheck = now;
    for (const s of this.saved) {
      const schedule = s.profile.schedule;
      if (schedule && crossedTime(prev, now, schedule.at, schedule.timeZone)) await this.run(s.name, false);
    }
  }
}

export const profiles = new ProfilesState();
