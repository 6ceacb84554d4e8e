/** The one planner of local and cloud sessions: a preset or rules over a comparison, then the names check of every target. */
import type { Comparison } from '../compare/types.ts';
import type { BaseStates } from '../base/base-types.ts';
import type { TargetTraits } from '../names/names.ts';
import { checkPlanNames } from '../names/check-plan.ts';
import type { Plan, Preset } from './types.ts';
import { refused, type PlanSource } from './plan-common.ts';
import { emptiedSources } from './restrict.ts';
import type { Rule, TargetedAction } from './rules-types.ts';
import { planPreset } from './presets.ts';
import { planRules } from './rules.ts';
import { NO_ROLES, presetRoleRefusal, withRoles, type RoleOf } from './roles.ts';
import { planTwoWayAt } from './two-way.ts';

/** What a plan is made over: the comparison, its sources in order, the profile's base, the time, the targets' file systems. */
export interface PlanningContext {
  comparison: Comparison;
  sources: readonly PlanSource[];
  base: BaseStates | null;
  now: number;
  /** What a target's file system refuses (case folding, Windows names); neutral when unknown. */
  traits?: TargetTraits;
  /** Each source's member role (cloud sessions, §10.11); every source sends and receives when absent. */
  roles?: RoleOf;
}

const NEUTRAL: TargetTraits = { caseInsensitive: false, windows: false };

/**
 * A preset's plan (Mirror, Update, Two-way from the base), names checked, roles applied: a Mirror or Update onto a
 * send-only source or from a receive-only one is refused whole; Two-way keeps receive-only changes local.
 */
export function presetPlan(ctx: PlanningContext, preset: Preset): Plan {
  const roles = ctx.roles ?? NO_ROLES;
  const refusedByRole = presetRoleRefusal(preset, roles);
  if (refusedByRole) return refusedByRole;
  const plan = roles === NO_ROLES || preset.kind !== 'two-way'
    ? planPreset(ctx.comparison, preset, ctx.sources, { base: ctx.base, now: ctx.now })
    : planTwoWayAt(ctx.comparison, ctx.sources, ctx.base, ctx.now, roles);
  return withRoles(checkPlanNames(plan, ctx.comparison, () => ctx.traits ?? NEUTRAL), roles);
}

/** The plan of rules and targeted actions (which win on their items), names checked, roles applied. */
export function rulesPlan(ctx: PlanningContext, input: { rules: readonly Rule[]; targeted: readonly TargetedAction[] }): Plan {
  const plan = planRules(ctx.comparison, ctx.sources, input);
  // Rules that delete while a source suddenly holds nothing (a disk not mounted: restrict.ts) may be deleting what it
  // lacks, a scheduled backup by rules emptying its target: refused whole, as a Mirror from it (presets.ts). The
  // user's own targeted actions alone are their choice on what they see.
  const emptied = input.rules.length > 0 && plan.actions.some((a) => a.type === 'delete') ? emptiedSources(ctx.comparison, ctx.base) : [];
  if (emptied.length > 0) return refused(emptied.map((c) => ({ path: '', reason: 'emptied', detail: c })));
  return withRoles(checkPlanNames(plan, ctx.comparison, () => ctx.traits ?? NEUTRAL), ctx.roles ?? NO_ROLES);
}
