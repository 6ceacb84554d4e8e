/**
 * The rule editor's fields as typed, checked where they are typed: each wrong field gets its own error code (the
 * editor shows it next to the field), and only a fully valid draft becomes a Rule. Sizes take units in both
 * languages ("10 MB", "1,5 Go", "512 KiB").
 */
import type { Condition, Order, Rule, RuleAction } from '../../../core/plan/rules-types.ts';

/** One condition as the editor holds it: strings straight from the inputs. */
export interface ConditionDraft {
  on: Condition['on'];
  source: string;
  op: string;
  /** Another source to compare with ('' = a typed value). */
  other: string;
  value: string;
  pattern: string;
}

export interface RuleDraft {
  scope: Rule['scope'];
  mode: Rule['mode'];
  conditions: ConditionDraft[];
  act: RuleAction['do'];
  from: string;
  to: string;
  onSource: string;
}

/** Why a field is refused; translated as `rule.error.<code>`. */
export type DraftError = 'size-empty' | 'size-invalid' | 'date-empty' | 'date-invalid' | 'pattern-empty' | 'same-source';

/** Where an error sits: condition `i`'s value or pattern, or the action's target. */
export type DraftField = `condition-${number}` | 'action';

// Decimal units as the app shows sizes (formatBytes: "31.5 MB", "31,5 Mo"), binary ones for those who type them.
const UNITS: Record<string, number> = {
  '': 1, b: 1, o: 1, byte: 1, bytes: 1, octet: 1, octets: 1,
  k: 1e3, kb: 1e3, ko: 1e3, m: 1e6, mb: 1e6, mo: 1e6, g: 1e9, gb: 1e9, go: 1e9, t: 1e12, tb: 1e12, to: 1e12,
  kib: 2 ** 10, kio: 2 ** 10, mib: 2 ** 20, mio: 2 ** 20, gib: 2 ** 30, gio: 2 ** 30, tib: 2 ** 40, tio: 2 ** 40,
};

/**
 * A size typed by a person, in bytes: "100000", "100 kB", "1.5 MB", "1,5 Mo", "2 GiB"; spaces (including French
 * narrow ones) group digits. Null when it is not a non-negative size or does not come to whole bytes.
 */
export function parseSize(text: string): number | null {
  const m = /^([0-9][0-9\s\u00a0\u202f]*(?:[.,][0-9]+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  if (!m) return null;
  const factor = UNITS[(m[2] ?? '').toLowerCase()];
  if (factor === undefined) return null;
  const n = Number((m[1] ?? '').replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
  const exact = n * factor;
  const bytes = Math.round(exact);
  // "1.5" bytes is a typo, not a size; a float product such as 1.1 MB may land a hair off a whole number.
  return Number.isSafeInteger(bytes) && Math.abs(exact - bytes) < 1e-6 * Math.max(1, factor / 1e6) ? bytes : null;
}

/** One condition's error, or null when it is valid. */
export function conditionError(d: ConditionDraft): DraftError | null {
  if (d.on === 'name') return d.pattern.trim() === '' ? 'pattern-empty' : null;
  if ((d.on !== 'size' && d.on !== 'date') || d.other !== '') return null;
  if (d.value.trim() === '') return d.on === 'size' ? 'size-empty' : 'date-empty';
  if (d.on === 'size') return parseSize(d.value) === null ? 'size-invalid' : null;
  return Number.isNaN(Date.parse(d.value)) ? 'date-invalid' : null;
}

/** Every error of the draft, by field; empty when it can be saved. */
export function draftErrors(d: RuleDraft): Map<DraftField, DraftError> {
  const errors = new Map<DraftField, DraftError>();
  d.conditions.forEach((c, i) => {
    const e = conditionError(c);
    if (e) errors.set(`condition-${i}`, e);
  });
  if ((d.act === 'copy' || d.act === 'copy-content') && d.from === d.to) errors.set('action', 'same-source');
  return errors;
}

function toCondition(d: ConditionDraft): Condition {
  switch (d.on) {
    case 'content':
      return { on: 'content', source: d.source, op: d.op as 'eq' | 'ne', other: d.other };
    case 'presence':
      return { on: 'presence', source: d.source, op: d.op as 'exists' | 'absent' };
    case 'name':
      return { on: 'name', op: d.op as 'matches' | 'not-matches', pattern: d.pattern.trim() };
    case 'size':
    case 'date': {
      const base = { on: d.on, source: d.source, op: d.op as Order };
      if (d.other !== '') return { ...base, other: d.other };
      return { ...base, value: d.on === 'date' ? Date.parse(d.value) : (parseSize(d.value) as number) };
    }
  }
}

/** The Rule a valid draft stands for, or its errors. */
export function ruleFromDraft(d: RuleDraft): { rule: Rule } | { errors: Map<DraftField, DraftError> } {
  const errors = draftErrors(d);
  if (errors.size > 0) return { errors };
  const action: RuleAction =
    d.act === 'copy' || d.act === 'copy-content' ? { do: d.act, from: d.from, to: d.to } : d.act === 'nothing' ? { do: 'nothing' } : { do: d.act, on: d.onSource };
  return { rule: { scope: d.scope, mode: d.mode, conditions: d.conditions.map(toCondition), action } };
}
