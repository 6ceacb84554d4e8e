/** What the settings, rules, targeted-action and plan components need from a session's state, local or cloud. */
import type { EntryKind } from '../../../core/ports.ts';
import type { Plan } from '../../../core/plan/types.ts';
import type { Rule, TargetedAction } from '../../../core/plan/rules-types.ts';
import type { SessionSettings, SettingsIssue } from '../../../core/settings/settings.ts';

export type PresetKind = 'mirror' | 'update' | 'two-way';

/** A data source as the planning controls list it. */
export interface PlanSource {
  code: string;
  rootKind: EntryKind;
}

/**
 * The contract SettingsPanel, ActionsPanel and ComparisonTable are written against. The Local Session's state and the
 * cloud run's state both implement it, so the two pages share one set of controls (and one set of accessible names).
 */
export interface PlanningState {
  /** Every source the comparison and the plan may name (in a cloud session: every member's). */
  readonly sources: readonly PlanSource[];
  readonly settings: SessionSettings;
  readonly settingsIssues: readonly SettingsIssue[];
  /** An inventory or a synchronization is under way. */
  readonly busy: boolean;
  /** Whether this page may change the settings now (in a cloud session only the leader, between runs). */
  readonly canEditSettings: boolean;
  /** Whether this page may plan now (a comparison is there; in a cloud session only the leader plans). */
  readonly canPlan: boolean;
  /** Whether the sources have a recorded base: two-way then propagates deletions. */
  readonly hasBase: boolean;
  readonly plan: Plan | null;
  readonly rules: readonly Rule[];
  readonly targeted: readonly TargetedAction[];
  /** Paths of the comparison rows ticked for a targeted action. */
  readonly selected: ReadonlySet<string>;
  updateSettings(patch: Partial<SessionSettings>): void;
  applyPreset(kind: PresetKind, from: string, to: string): void;
  addRule(rule: Rule): void;
  removeRule(index: number): void;
  applyRules(): void;
  toggleSelected(path: string): void;
  targetSelection(choice: string): void;
  clearTargeted(): void;
}

/**
 * The targeted actions a choice adds on the ticked rows: `copy:A1` copies from A1 to every other directory source,
 * `delete:A2` deletes on A2. Empty when nothing is ticked or the choice names no source.
 */
export function targetedFor(choice: string, paths: readonly string[], sources: readonly PlanSource[]): TargetedAction[] {
  const [kind, code] = choice.split(':') as ['copy' | 'delete', string | undefined];
  if (paths.length === 0 || !code) return [];
  const list = [...paths];
  if (kind === 'delete') return [{ paths: list, action: { do: 'delete', on: code } }];
  return sources.filter((s) => s.code !== code && s.rootKind === 'directory').map((s) => ({ paths: list, action: { do: 'copy', from: code, to: s.code } }));
}

/** A new selection with `path` ticked or unticked. */
export function toggled(selected: ReadonlySet<string>, path: string): ReadonlySet<string> {
  const next = new Set(selected);
  if (!next.delete(path)) next.add(path);
  return next;
}
