/** The planning controls both pages share: preset, rules, ticked rows and targeted actions, over the engine's planner. */
import type { Plan, Preset } from '../../../core/plan/types.ts';
import type { Rule, TargetedAction } from '../../../core/plan/rules-types.ts';
import { targetedFor, toggled, type PlanSource, type PresetKind } from './planning.ts';

/** What a page's engine offers the controls: the plan of a preset or of rules over its current comparison. */
export interface Planner {
  planPreset(preset: Preset): Plan;
  planRules(input: { rules: readonly Rule[]; targeted: readonly TargetedAction[] }): Plan;
}

/**
 * The state the rule editor, targeted actions and preset buttons work on. A page's state class extends it and says
 * which sources there are, whether it may plan now, and what to do once a plan is made (`planned`).
 */
export abstract class PlanningControls {
  plan = $state.raw<Plan | null>(null);
  rules = $state.raw<readonly Rule[]>([]);
  targeted = $state.raw<readonly TargetedAction[]>([]);
  /** Paths of the comparison rows ticked for a targeted action. */
  selected = $state.raw<ReadonlySet<string>>(new Set());
  /** The preset the current plan came from (null when rules made it): "Save as profile" keeps it. */
  lastPreset = $state.raw<{ kind: PresetKind; from: string; to: string } | null>(null);

  abstract readonly sources: readonly PlanSource[];
  abstract readonly canPlan: boolean;
  protected abstract readonly planner: Planner;

  /** Called once a new plan is shown (e.g. to look up write permission on its targets). */
  protected planned(): void {}

  applyPreset(kind: PresetKind, from: string, to: string): void {
    this.plan = this.planner.planPreset(kind === 'two-way' ? { kind } : { kind, from, to });
    this.lastPreset = { kind, from, to };
    this.planned();
  }

  addRule(rule: Rule): void {
    this.rules = [...this.rules, rule];
    this.applyRules();
  }

  removeRule(index: number): void {
    this.rules = this.rules.filter((_, i) => i !== index);
    this.applyRules();
  }

  /** Builds the plan from the rules and the targeted actions (which win on their items). */
  applyRules(): void {
    if (!this.canPlan) return;
    this.plan = this.planner.planRules({ rules: this.rules, targeted: this.targeted });
    this.lastPreset = null;
    this.planned();
  }

  /** A plan made elsewhere on this comparison (the conflict centre's resolutions) becomes the shown plan. */
  showPlan(plan: Plan): void {
    if (!this.canPlan) return;
    this.plan = plan;
    this.lastPreset = null;
    this.planned();
  }

  toggleSelected(path: string): void {
    this.selected = toggled(this.selected, path);
  }

  /** Adds a targeted action on the selected rows (see `targetedFor`); the plan is rebuilt at once. */
  targetSelection(choice: string): void {
    const added = targetedFor(choice, [...this.selected], this.sources);
    if (added.length === 0) return;
    this.targeted = [...this.targeted, ...added];
    this.selected = new Set();
    this.applyRules();
  }

  clearTargeted(): void {
    this.targeted = [];
    this.applyRules();
  }

  /** A new comparison (or none): the plan, ticks and targeted actions belonged to the old one. */
  protected resetPlanning(): void {
    this.plan = null;
    this.lastPreset = null;
    this.selected = new Set();
    this.targeted = [];
  }
}
