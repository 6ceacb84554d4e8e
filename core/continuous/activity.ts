/** The "Activity" feed of continuous synchronization: what each member's share of a round changed, from its result. */
import type { Action } from '../plan/types.ts';
import type { RunResultMessage } from '../protocol/run-messages.ts';

/** What happened to an item on a member's folder. `moved`: its content came from that folder itself (a rename). */
export type ActivityKind = 'created' | 'replaced' | 'deleted' | 'directory' | 'moved' | 'conflict-copy';

export interface ActivityEntry {
  /** When this member heard of it (the result's arrival). */
  at: number;
  /** The member whose folder changed (its letter) and the folder (code). */
  member: string;
  target: string;
  path: string;
  kind: ActivityKind;
  /** Where the content came from (a copy), else ''. */
  from: string;
  /** The item's size (copies); what crossed the network is less when blocks were reused. */
  bytes: number;
}

/** Entries kept per page: the newest first. */
export const ACTIVITY_MAX = 200;

/** The entries of one member's result: its completed actions of the resolved plan, in plan order. */
export function activityOf(actions: readonly (Action | null)[], result: RunResultMessage, member: string, at: number): ActivityEntry[] {
  const out: ActivityEntry[] = [];
  for (const i of result.done) {
    const a = actions[i];
    if (!a) continue;
    if (a.type === 'delete') out.push({ at, member, target: a.target, path: a.path, kind: 'deleted', from: '', bytes: 0 });
    else if (a.type === 'mkdir') out.push({ at, member, target: a.target, path: a.path, kind: 'directory', from: '', bytes: 0 });
    else {
      const kind: ActivityKind = a.conflict ? 'conflict-copy' : a.from === a.target ? 'moved' : a.replaces === 'file' ? 'replaced' : 'created';
      out.push({ at, member, target: a.target, path: a.targetPath, kind, from: a.from, bytes: a.size });
    }
  }
  return out;
}
