/**
 * The Local Session's folders and settings kept across reloads: stored as a profile with its handles (the saved-profiles
 * store, a database of its own), given back at once where the browser still grants access, else with one click.
 */
import { ProfileStore, type SavedProfile, type SourceHandle } from '../../../adapters/browser/profile-store.ts';
import type { LocalProfile } from '../../../core/unattended/profile.ts';
import type { SessionSettings } from '../../../core/settings/settings.ts';

/** The one record kept: the page has one Local Session. */
const KEY = 'local-session';

interface PermissionHandle {
  queryPermission(options: { mode: 'read' }): Promise<PermissionState>;
  requestPermission(options: { mode: 'read' }): Promise<PermissionState>;
}

/** What a remembered session needs of the page's session (LocalSessionState has it all). */
export interface RememberingSession {
  readonly sources: ReadonlyArray<{ code: string; name: string }>;
  readonly handles: readonly SourceHandle[];
  readonly settings: SessionSettings;
  readonly lastPreset: { kind: 'mirror' | 'update' | 'two-way'; from: string; to: string } | null;
  addHandle(handle: SourceHandle): Promise<void>;
  removeSource(code: string): void;
  updateSettings(patch: Partial<SessionSettings>): void;
}

/** A remembered folder not (yet) in the session: waiting for access, or no longer found. */
export interface RememberedFolder {
  handle: SourceHandle;
  name: string;
  status: 'waiting' | 'gone';
}

/** A1, A2 … A10 in number order. */
const byCode = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Whether the entry behind a handle still exists; only "not found" says no (anything else is the inventory's to report). */
async function resolves(handle: SourceHandle): Promise<boolean> {
  try {
    if (handle.kind === 'directory') {
      for await (const _ of (handle as FileSystemDirectoryHandle & { keys(): AsyncIterable<string> }).keys()) break;
    } else await handle.getFile();
    return true;
  } catch (error) {
    return (error as { name?: string })?.name !== 'NotFoundError';
  }
}

export class RememberedSession {
  /** Remembered folders not in the session: the page lists them with Restore access, or as gone with Remove. */
  folders = $state.raw<readonly RememberedFolder[]>([]);
  /** How many folders came back from the last visit (the page says so, with Forget). */
  restored = $state(0);
  /** Names the user did not give access to at the last Restore access. */
  refused = $state.raw<readonly string[]>([]);
  readonly #store: ProfileStore;
  readonly #session: RememberingSession;
  /** Nothing is saved before the record is read: an early save would overwrite what is remembered. */
  #loaded = false;
  #restoredHandles: SourceHandle[] = [];

  constructor(session: RememberingSession, store = new ProfileStore('quintet-session', 'local')) {
    this.#session = session;
    this.#store = store;
  }

  /** Reads the record: settings come back at once; folders too where access is still granted (Chrome's "every visit"). */
  async load(): Promise<void> {
    let saved: SavedProfile | undefined;
    try {
      saved = await this.#store.get(KEY);
    } catch (error) {
      console.error(error); // an unreadable record only means nothing comes back
    }
    if (saved?.profile.kind === 'local') {
      if (saved.profile.settings) this.#session.updateSettings(saved.profile.settings as Partial<SessionSettings>);
      const codes = Object.keys(saved.handles).sort(byCode);
      this.folders = codes.map((code) => ({ handle: saved.handles[code]!, name: saved.handles[code]!.name, status: 'waiting' as const }));
      const states = await Promise.all(this.folders.map((f) => (f.handle as unknown as PermissionHandle).queryPermission({ mode: 'read' }).catch(() => 'prompt' as const)));
      if (states.every((s) => s === 'granted')) await this.#bringBack(this.folders.map((f) => f.handle));
    }
    this.#loaded = true;
  }

  /** The Restore access click: each waiting folder's access is asked within that click, then the granted ones come back in order. */
  async restore(): Promise<void> {
    const granted: SourceHandle[] = [];
    const refused: string[] = [];
    for (const folder of this.folders) {
      if (folder.status !== 'waiting') continue;
      // Chrome with persistent permissions answers the first request for all of them ("Allow on every visit").
      const state = await (folder.handle as unknown as PermissionHandle).requestPermission({ mode: 'read' }).catch((error: unknown) => ((error as { name?: string })?.name === 'NotFoundError' ? 'gone' : 'denied'));
      if (state === 'granted') granted.push(folder.handle);
      else if (state === 'gone') this.#markGone(folder.handle);
      else refused.push(folder.name);
    }
    this.refused = refused;
    await this.#bringBack(granted);
  }

  /** Drops one gone folder from what is remembered. */
  async remove(handle: SourceHandle): Promise<void> {
    this.folders = this.folders.filter((f) => f.handle !== handle);
    await this.save();
  }

  /** Forgets the remembered folders: the waiting and gone ones, and those that came back (taken out of the session). */
  async forget(): Promise<void> {
    const back = new Set(this.#restoredHandles);
    const codes = this.#session.sources.filter((_, i) => back.has(this.#session.handles[i]!)).map((s) => s.code);
    this.folders = [];
    this.refused = [];
    this.restored = 0;
    this.#restoredHandles = [];
    for (const code of codes.reverse()) this.#session.removeSource(code);
    await this.#store.remove(KEY);
    await this.save();
  }

  /**
   * Keeps the session's folders (in code order), the gone ones after them until removed, its settings and preset.
   * Not while folders still wait for access: the session does not hold them yet, and saving would lose them.
   */
  async save(): Promise<void> {
    const session = this.#session;
    const gone = this.folders.filter((f) => f.status === 'gone').map((f) => f.handle);
    if (!this.#loaded || this.folders.some((f) => f.status === 'waiting')) return;
    const handles = [...session.handles, ...gone];
    try {
      if (handles.length === 0) return await this.#store.remove(KEY);
      const preset = session.lastPreset;
      const profile: LocalProfile = {
        v: 1, kind: 'local', name: 'Local session',
        sources: handles.map((h) => h.name),
        settings: { ...session.settings },
        ...(preset ? (preset.kind === 'two-way' ? { preset: 'two-way' as const } : { preset: preset.kind, from: preset.from, to: preset.to }) : {}),
      };
      await this.#store.save({ name: KEY, profile, handles: Object.fromEntries(handles.map((h, i) => [`A${i + 1}`, h])), savedAt: Date.now() });
    } catch (error) {
      console.error(error); // remembering is a convenience: the session itself goes on
    }
  }

  async #bringBack(handles: SourceHandle[]): Promise<void> {
    for (const handle of handles) {
      if (!(await resolves(handle))) {
        this.#markGone(handle);
        continue;
      }
      // A refusal (a folder inside another, say) is said on the page by the session itself; the others still come back.
      await this.#session.addHandle(handle).catch((error: unknown) => console.warn(error));
      // addHandle reports its own failures (a duplicate, say) on the page; only what joined counts as back.
      if (this.#session.handles.includes(handle)) {
        this.#restoredHandles.push(handle);
        this.restored = this.#restoredHandles.length;
      }
      this.folders = this.folders.filter((f) => f.handle !== handle);
    }
  }

  #markGone(handle: SourceHandle): void {
    this.folders = this.folders.map((f) => (f.handle === handle ? { ...f, status: 'gone' as const } : f));
  }
}
