/** One entry point for the presets of issue 2 (Mirror, Update); Two-way and rules come with issue 3. */
import type { Comparison } from '../compare/types.ts';
import type { Preset } from '../session/local-session-types.ts';
import type { Plan } from './types.ts';
import type { PlanSource } from './plan-common.ts';
import { planMirror } from './mirror.ts';
import { planUpdate } from './update.ts';

/** Builds the plan of a preset over a comparison, refusals included. */
export function planPreset(comparison: Comparison, preset: Preset, sources: readonly PlanSource[]): Plan {
  switch (preset.kind) {
    case 'mirror':
      return planMirror(comparison, preset, sources);
    case 'update':
      return planUpdate(comparison, preset, sources);
  }
}
