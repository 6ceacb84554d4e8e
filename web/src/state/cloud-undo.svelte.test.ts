import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../core/events.ts';
import type { CloudMember } from '../../../core/cloud/member.ts';
import type { CloudRunEvents } from '../../../core/cloud/run/cloud-run-types.ts';
import type { UndoResultMessage } from '../../../core/protocol/run-messages.ts';
import { CloudUndoState } from './cloud-undo.svelte.ts';

describe('CloudUndoState projects the core’s undo', () => {
  it('follows the last run, orders through the core, and keeps every member’s outcome of the current order', async () => {
    const results = new Map<string, UndoResultMessage>();
    const undo = { last: null as string | null, current: null as { id: string; results: Map<string, UndoResultMessage> } | null, order: async () => 'u1' };
    const run = Object.assign(new Emitter<CloudRunEvents>(), { undo });
    const member = { run, session: { members: [{ id: 'm1', letter: 'A' }, { id: 'm2', letter: 'B' }] } } as unknown as CloudMember;
    const state = new CloudUndoState(member);
    expect(state.last).toBeNull();
    undo.last = 's1';
    run.emit('result', 'm1', { type: 'run-result', v: 1, run: 's1', done: [], failed: [], skipped: [], bytes: 0, ms: 0 });
    expect(state.last).toBe('s1');

    await state.undo();
    expect(state.order).toBe('u1');
    const ofB: UndoResultMessage = { type: 'undo-result', v: 1, order: 'u1', sources: [{ code: 'B1', restored: ['r.txt'], removed: [], leftAlone: [], more: 0 }] };
    results.set('m2', ofB);
    undo.current = { id: 'u1', results };
    undo.last = 'u1';
    run.emit('undo-result', 'm2', ofB);
    expect(state.results).toEqual({ m2: ofB });
    expect(state.last).toBe('u1'); // undoing again would undo the undo
  });
});
