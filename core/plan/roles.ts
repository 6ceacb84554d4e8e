/** Member roles on a plan (issue 13, docs/protocol.md §10.11): send-only sources are never written, receive-only ones never spread. */
import type { MemberRole } from '../settings/settings.ts';
import type { Action, Plan, Preset, Refusal } from './types.ts';
import { refused, summarize } from './plan-common.ts';
import { writtenPath } from './skipped.ts';

/** The role of a source code (its member's role); 'send-receive' for every source when there are no roles. */
export type RoleOf = (code: string) => MemberRole;

export const NO_ROLES: RoleOf = () => 'send-receive';

/**
 * A source's role from the settings' roles (member id → role) and the members' letters (a source code starts with its
 * member's letter). A member not listed, or a letter no member holds, sends and receives.
 */
export function roleOfSource(roles: Readonly<Record<string, MemberRole>>, members: readonly { id: string; letter: string }[]): RoleOf {
  const byLetter = new Map<string, MemberRole>();
  for (const m of members) {
    const role = Object.hasOwn(roles, m.id) ? roles[m.id] : undefined;
    if (role && role !== 'send-receive') byLetter.set(m.letter, role);
  }
  if (byLetter.size === 0) return NO_ROLES;
  return (code) => byLetter.get(code[0] ?? '') ?? 'send-receive';
}

/** Why roles refuse `action`, or null when they allow it: the target is send-only, or a copy spreads a receive-only origin. */
export function roleRefusal(action: Action, roleOf: RoleOf): Refusal | null {
  if (roleOf(action.target) === 'send-only') return { path: writtenPath(action), reason: 'send-only', detail: action.target };
  // A receive-only member's content never reaches another member; within its own sources it does not spread.
  if (action.type === 'copy' && roleOf(action.from) === 'receive-only' && action.from[0] !== action.target[0]) {
    return { path: writtenPath(action), reason: 'receive-only', detail: action.from };
  }
  return null;
}

/** A Mirror or Update whose direction roles forbid: refused as a whole, with the reason and the source named. */
export function presetRoleRefusal(preset: Preset, roleOf: RoleOf): Plan | null {
  if (preset.kind === 'two-way') return null;
  if (roleOf(preset.to) === 'send-only') return refused([{ path: '', reason: 'send-only', detail: preset.to }]);
  if (roleOf(preset.from) === 'receive-only' && preset.from[0] !== preset.to[0]) return refused([{ path: '', reason: 'receive-only', detail: preset.from }]);
  return null;
}

/** The plan without any action roles forbid (each becomes a refusal naming its path and reason), held actions too. */
export function withRoles(plan: Plan, roleOf: RoleOf): Plan {
  if (roleOf === NO_ROLES) return plan;
  const refusals: Refusal[] = [];
  const keep = (a: Action) => {
    const r = roleRefusal(a, roleOf);
    if (r) refusals.push(r);
    return r === null;
  };
  const actions = plan.actions.filter(keep);
  // A held action only ever targets its receive-only owner: any other is dropped without a refusal of its own.
  const held = plan.held?.filter((a) => roleOf(a.target) === 'receive-only' && roleRefusal(a, roleOf) === null);
  if (refusals.length === 0 && held?.length === plan.held?.length) return plan;
  return { ...plan, actions, summary: summarize(actions), refusals: [...plan.refusals, ...refusals], ...(held ? { held } : {}) };
}
