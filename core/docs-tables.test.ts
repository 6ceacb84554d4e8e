import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { RUN_TRANSITIONS } from './cloud/run/cloud-run-machine.ts';
import { LOCAL_TRANSITIONS } from './local/local-session-machine.ts';
import { CLOUD_TRANSITIONS } from './cloud/cloud-session-machine.ts';
import { CANDIDATE_TRANSITIONS, VALIDATOR_TRANSITIONS } from './cloud/join/cloud-join-machine.ts';
import { LEADER_ONLY_TYPES, MeshMessage } from './protocol/mesh-messages.ts';
import { RUN_MESSAGE_TYPES } from './protocol/run-messages.ts';
import { LOOP_TRANSITIONS } from './continuous/continuous-machine.ts';

const doc = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');

/** The rows of the first markdown table after `heading`, as trimmed cells. */
function tableAfter(heading: string): string[][] {
  const lines = doc.slice(doc.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

/** A table's pairs as `state event → next [effects]`, `any` expanded to every state, `any live` to every state but `ended`. */
function pairs(rows: string[][], states: readonly string[]): string[] {
  const expand = (state: string) => (state === 'any' ? states : state === 'any live' ? states.filter((s) => s !== 'ended') : [state]);
  return rows.flatMap(([state, event, next, effects]) => expand(state as string).map((s) => `${s} ${event} → ${next}${effects ? ` [${effects}]` : ''}`)).sort();
}

/** A join table's rows: states and events may be comma-separated lists, '—' is no effect, a fifth column is commentary. */
function joinPairs(rows: string[][]): string[] {
  const list = (cell: string) => cell.split(',').map((x) => x.trim());
  return rows.flatMap(([states, events, next, effects]) => list(states as string).flatMap((s) => list(events as string).map((e) =>
    `${s} ${e} → ${next}${effects && effects !== '—' ? ` [${effects}]` : ''}`))).sort();
}

/** A `{state, event} → {state, effects}` table of the code, in the same form. */
function codePairs(table: Readonly<Record<string, Readonly<Record<string, { state: string; effects: readonly string[] }>>>>): string[] {
  return Object.entries(table).flatMap(([s, row]) => Object.entries(row).map(([e, t]) => `${s} ${e} → ${t.state}${t.effects.length ? ` [${t.effects.join(', ')}]` : ''}`)).sort();
}

describe('docs/protocol.md tables are the code’s', () => {
  it('§9 candidate and validator = core/cloud/join/cloud-join-machine.ts', () => {
    expect(joinPairs(tableAfter('Candidate (`CANDIDATE_TRANSITIONS`'))).toEqual(codePairs(CANDIDATE_TRANSITIONS));
    expect(joinPairs(tableAfter('Validator (A), one per candidate'))).toEqual(codePairs(VALIDATOR_TRANSITIONS));
  });

  it('§10.4 one member’s run state = core/cloud/run/cloud-run-machine.ts', () => {
    const code = Object.entries(RUN_TRANSITIONS).flatMap(([s, row]) => Object.entries(row).map(([e, t]) => `${s} ${e} → ${t.next}${t.effects.length ? ` [${t.effects.join(', ')}]` : ''}`)).sort();
    expect(pairs(tableAfter('### 10.4 One member'), Object.keys(RUN_TRANSITIONS))).toEqual(code);
  });

  it('§8 Cloud Session phases = core/cloud/cloud-session-machine.ts', () => {
    const code = Object.entries(CLOUD_TRANSITIONS).flatMap(([s, row]) => Object.entries(row).map(([e, t]) => `${s} ${e} → ${t.state}${t.effects.length ? ` [${t.effects.join(', ')}]` : ''}`)).sort();
    expect(pairs(tableAfter('**Session phases**'), Object.keys(CLOUD_TRANSITIONS))).toEqual(code);
  });

  it('§7 Local Session = core/local/local-session-machine.ts', () => {
    const code = Object.entries(LOCAL_TRANSITIONS).flatMap(([s, row]) => Object.entries(row).map(([e, next]) => `${s} ${e} → ${next}`)).sort();
    expect(pairs(tableAfter('## 7. Local Session state machine'), Object.keys(LOCAL_TRANSITIONS))).toEqual(code);
  });

  it('§8 mesh messages and §10.5 run messages = core/protocol, their leader-only rows (who: A) = LEADER_ONLY_TYPES', () => {
    const mesh = tableAfter('**Mesh messages**');
    const run = tableAfter('### 10.5 Run messages').filter(([type]) => type !== '(binary) block piece');
    const typeOf = (cell: string) => cell.replace(/`/g, '');
    expect(run.map(([type]) => typeOf(type as string)).sort()).toEqual([...RUN_MESSAGE_TYPES].sort());
    expect([...mesh, ...run].map(([type]) => typeOf(type as string)).sort()).toEqual(MeshMessage.options.map((o) => o.entries.type.literal).sort());
    const leaderRows = [...mesh.map(([type, , who]) => [type, who]), ...run.map(([type, , who]) => [type, who])]
      .filter(([, who]) => /^A\b/.test(who as string)).map(([type]) => typeOf(type as string));
    expect(leaderRows.sort()).toEqual([...LEADER_ONLY_TYPES].sort());
  });

  it('§12 the leader’s continuous loop = core/continuous/continuous-machine.ts', () => {
    expect(pairs(tableAfter("**The leader's loop**"), Object.keys(LOOP_TRANSITIONS))).toEqual(codePairs(LOOP_TRANSITIONS));
  });
});
