/** Evaluates rule conditions on a comparison row (pure; one table test per operator in rules.test.ts). */
import type { ComparisonCell, ComparisonRow } from '../compare/types.ts';
import type { Condition, Order, Rule } from './rules-types.ts';
import { baseName } from '../paths.ts';

const ORDER: Record<Order, (a: number, b: number) => boolean> = {
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  ge: (a, b) => a >= b,
  gt: (a, b) => a > b,
};

const fileCell = (row: ComparisonRow, code: string): ComparisonCell | null => {
  const cell = row.cells[code];
  return cell?.kind === 'file' ? cell : null;
};

/** A `*`/`?` wildcard as an anchored RegExp; every other character is literal. */
export function wildcard(pattern: string, caseSensitive = true): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, caseSensitive ? 'su' : 'isu');
}

/** Whether one condition holds on a row. */
export function holds(condition: Condition, row: ComparisonRow, caseSensitive = true): boolean {
  switch (condition.on) {
    case 'presence':
      return (row.cells[condition.source] != null) === (condition.op === 'exists');
    case 'name':
      return wildcard(condition.pattern, caseSensitive).test(baseName(row.path)) === (condition.op === 'matches');
    case 'content': {
      const a = row.cells[condition.source] ?? null;
      const b = row.cells[condition.other] ?? null;
      if (condition.op === 'eq') return a?.kind === 'file' && b?.kind === 'file' && a.hash === b.hash;
      if (!a && !b) return false;
      return !a || !b || a.kind !== b.kind || a.hash !== b.hash;
    }
    case 'size':
    case 'date': {
      const field = condition.on === 'size' ? 'size' : 'mtime';
      const a = fileCell(row, condition.source)?.[field];
      const b = condition.other !== undefined ? fileCell(row, condition.other)?.[field] : condition.value;
      return a !== undefined && b !== undefined && ORDER[condition.op](a, b);
    }
  }
}

/** Whether a row is in a rule's scope and its conditions hold (all, or any; no condition = every row). */
export function ruleMatches(rule: Rule, row: ComparisonRow, caseSensitive = true): boolean {
  const present = Object.values(row.cells).filter((c): c is ComparisonCell => c != null);
  const isDir = present.length > 0 && present.every((c) => c.kind === 'directory');
  if ((rule.scope === 'directories') !== isDir) return false;
  if (rule.conditions.length === 0) return true;
  const test = (c: Condition) => holds(c, row, caseSensitive);
  return rule.mode === 'all' ? rule.conditions.every(test) : rule.conditions.some(test);
}
