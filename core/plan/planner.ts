/** The one planner of local and cloud sessions: a preset or rules over a comparison, then the names check of every target. */
import type { Comparison } from '../compare/types.ts';
import type { BaseStates } from '../base/base-types.ts';
import type { TargetTraits } from '../names/names.ts';
import { checkPlanNames } from '../names/check-plan.ts';
import type { Plan, Preset } from './types.ts';
import type { PlanSource } from './plan-common.ts';
import type { Rule, TargetedAction } from './rules-types.ts';
import { planPreset } from './presets.ts';
import { planRules } from './rules.ts';

/** What a plan is made over: the comparison, its sources in order, the profile's base, the time, the targets' file systems. */
export interface PlanningContext {
  comparison: Comparison;
  sources: readonly PlanSource[];
  base: BaseStates | null;
  now: number;
  /** What a target's file system refuses (case folding, Windows names); neutral when unknown. */
  traits?: TargetTraits;
}

const NEUTRAL: TargetTraits = { caseInsensitive: false, windows: false };

/** A preset's plan (Mirror, Update, Two-way from the base), names checked. */
export function presetPlan(ctx: PlanningContext, preset: Preset): Plan {
  const plan = planPreset(ctx.comparison, preset, ctx.sources, { base: ctx.base, now: ctx.now });
  return checkPlanNames(plan, ctx.comparison, () => ctx.traits ?? NEUTRAL);
}

/** The plan of rules and targeted actions (which win on their items), names checked. */
export function rulesPlan(ctx: PlanningContext, input: { rules: readonly Rule[]; targeted: readonly TargetedAction[] }): Plan {
  return checkPlanNames(planRules(ctx.comparison, ctx.sources, input), ctx.comparison, () => ctx.traits ?? NEUTRAL);
}
