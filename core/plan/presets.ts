/** One entry point for the presets: Mirror, Update, Two-way. */
import type { Comparison } from '../compare/types.ts';
import type { Plan, Preset } from './types.ts';
import { refused, type PlanSource } from './plan-common.ts';
import { emptiedSources } from './restrict.ts';
import { planMirror } from './mirror.ts';
import { planUpdate } from './update.ts';
import { planTwoWayAt } from './two-way.ts';
import type { BaseStates } from '../base/base-types.ts';

/** What Two-way needs beyond the comparison (the profile's base, the time that names conflict copies); Mirror, the base. */
export interface PresetContext {
  base: BaseStates | null;
  now: number;
}

/** Builds the plan of a preset over a comparison, refusals included. */
export function planPreset(comparison: Comparison, preset: Preset, sources: readonly PlanSource[], context: PresetContext = { base: null, now: 0 }): Plan {
  switch (preset.kind) {
    case 'mirror':
      // From a source that suddenly holds nothing (a disk not mounted: restrict.ts), a Mirror would empty the target.
      if (emptiedSources(comparison, context.base).includes(preset.from)) return refused([{ path: '', reason: 'emptied', detail: preset.from }]);
      return planMirror(comparison, preset, sources);
    case 'update':
      return planUpdate(comparison, preset, sources);
    case 'two-way':
      return planTwoWayAt(comparison, sources, context.base, context.now);
  }
}
