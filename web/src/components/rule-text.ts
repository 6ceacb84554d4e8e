/** Rules as a line of text for the rule list, in the UI's language. */
import { t, i18n } from '../i18n/i18n.svelte.ts';
import type { Condition, Rule, RuleAction } from '../../../core/plan/rules-types.ts';

/** One condition, e.g. "Size A1 > 1 kB" or "Name matches *.tmp". */
export function conditionText(c: Condition): string {
  switch (c.on) {
    case 'content':
      return `${t('rule.on.content')} ${c.source} ${t(`rule.op.content.${c.op}`)} ${c.other}`;
    case 'presence':
      return `${c.source} ${t(`rule.op.presence.${c.op}`)}`;
    case 'name':
      return `${t('rule.on.name')} ${t(`rule.op.name.${c.op}`)} ${c.pattern}`;
    case 'size':
    case 'date': {
      const other = c.other ?? (c.value === undefined ? '' : c.on === 'date' ? i18n.date(c.value) : i18n.bytes(c.value));
      return `${t(`rule.on.${c.on}`)} ${c.source} ${t(`rule.op.${c.op}`)} ${other}`;
    }
  }
}

/** The action, e.g. "Copy A1 → A2". */
export function actionText(a: RuleAction): string {
  switch (a.do) {
    case 'copy':
    case 'copy-content':
      return `${t(`rule.do.${a.do}`)} ${a.from} → ${a.to}`;
    case 'create-directory':
    case 'delete':
      return `${t(`rule.do.${a.do}`)} (${a.on})`;
    case 'nothing':
      return t('rule.do.nothing');
  }
}

/** The whole rule on one line. */
export function ruleText(rule: Rule): string {
  const joiner = rule.mode === 'all' ? ' ∧ ' : ' ∨ ';
  const when = rule.conditions.length === 0 ? t('rule.always') : rule.conditions.map(conditionText).join(joiner);
  return `${t(`rule.scope.${rule.scope}`)}: ${when} → ${actionText(rule.action)}`;
}
