/** UI state of a cloud session's "Undo last run": the leader's order and every member's outcome, fed by the core's events. */
import type { CloudMember } from '../../../core/cloud/member.ts';
import type { UndoResultMessage } from '../../../core/protocol/run-messages.ts';
import { liveLog } from './live-log.svelte.ts';

export class CloudUndoState {
  readonly #member: CloudMember;
  /** The session run the leader would undo (null: none yet). */
  last = $state<string | null>(null);
  /** The current order, and every member's outcome of it so far (by member id). */
  order = $state<string | null>(null);
  results = $state.raw<Record<string, UndoResultMessage>>({});
  working = $state(false);

  constructor(member: CloudMember) {
    this.#member = member;
    const run = member.run;
    const sync = () => (this.last = run.undo.last);
    run.on('result', sync);
    run.on('undo-result', (from, m) => {
      sync();
      this.order = run.undo.current?.id ?? m.order;
      this.results = Object.fromEntries(run.undo.current?.results ?? []);
      const letter = member.session.members.find((x) => x.id === from)?.letter ?? '?';
      const count = (f: (s: UndoResultMessage['sources'][number]) => number) => m.sources.reduce((n, s) => n + f(s), 0);
      liveLog.add(m.busy ? { key: 'log.undo.busy', params: { letter } } : { key: 'log.undo.done', params: { letter, restored: count((s) => s.restored.length), removed: count((s) => s.removed.length), left: count((s) => s.leftAlone.length) } },
        m.busy || m.sources.some((s) => s.error) ? 'error' : 'info');
    });
  }

  /** Leader: orders every member to undo the last run. */
  async undo(): Promise<void> {
    this.working = true;
    try {
      this.results = {};
      this.order = await this.#member.run.undo.order();
    } finally {
      this.working = false;
    }
  }
}
