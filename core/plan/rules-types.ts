/** ByteSync-style rules and targeted actions: plain data the leader builds and a plan is derived from. */

/** Which rows a rule looks at: a row is a directory row when every source holding it holds a directory. */
export type RuleScope = 'files' | 'directories';

/** Comparison operators for size and date. */
export type Order = 'lt' | 'le' | 'eq' | 'ne' | 'ge' | 'gt';

/**
 * One condition on a row. Size and date compare a source's value with another source's
 * (`other`) or a constant (`value`: bytes, or ms since the epoch); they are false where a
 * compared source lacks the file. Content `eq` needs both files with the same hash; `ne` is
 * true when they differ or only one holds the item. Name matches the item's own name with
 * `*` (any run of characters) and `?` (one character).
 */
export type Condition =
  | { on: 'content'; source: string; op: 'eq' | 'ne'; other: string }
  | { on: 'size'; source: string; op: Order; other?: string; value?: number }
  | { on: 'date'; source: string; op: Order; other?: string; value?: number }
  | { on: 'presence'; source: string; op: 'exists' | 'absent' }
  | { on: 'name'; op: 'matches' | 'not-matches'; pattern: string };

/**
 * What a rule (or a targeted action) does. `copy` writes the file (or creates the directory)
 * on `to`; `copy-content` only replaces a file `to` already has; `create-directory` creates
 * the row's directory on `on`; `delete` removes the item on `on`; `nothing` leaves the item
 * alone and stops the rules after it from acting on it.
 */
export type RuleAction =
  | { do: 'copy'; from: string; to: string }
  | { do: 'copy-content'; from: string; to: string }
  | { do: 'create-directory'; on: string }
  | { do: 'delete'; on: string }
  | { do: 'nothing' };

/** A rule: when all (or any) of its conditions hold on a row of its scope, it acts. */
export interface Rule {
  scope: RuleScope;
  mode: 'all' | 'any';
  conditions: Condition[];
  action: RuleAction;
}

/** An action the leader chose on selected rows; it replaces what rules would do there. */
export interface TargetedAction {
  paths: string[];
  action: { do: 'copy'; from: string; to: string } | { do: 'delete'; on: string };
}
