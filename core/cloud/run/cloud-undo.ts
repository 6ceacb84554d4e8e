/** A cloud session's "Undo last run": the leader orders it, each member undoes its own folders and reports (docs/protocol.md §10.9). */
import type { Clock, Hasher } from '../../ports.ts';
import { toFsError } from '../../errors.ts';
import { MESH_PROTOCOL_VERSION } from '../../protocol/mesh-messages.ts';
import { MAX_UNDO_PATHS, type UndoResultMessage, type UndoRunMessage } from '../../protocol/run-messages.ts';
import { undoLastRun } from '../../versions/undo.ts';
import type { CloudSession } from '../cloud-session.ts';
import type { OwnSource } from './cloud-run-inventory.ts';

export interface CloudUndoOptions {
  session: CloudSession;
  hasher: Hasher;
  clock: Clock;
  /** This member's own sources now, in order (codes `<letter>1` …). */
  own(): readonly OwnSource[];
  /** Whether this member's inventory or share of a sync is under way: it then refuses (`busy`), undoing nothing. */
  busy(): boolean;
  /** This member changed its folders: the round's comparison is stale. */
  undone(): void;
  /** A member's outcome of the current order (this member's own included). */
  result(member: string, message: UndoResultMessage): void;
  problem(reason: string): void;
}

type SourceOutcome = UndoResultMessage['sources'][number];

/** The base rows a member's undo made stale: the paths it restored or removed, all of them when its lists were cut, or null. */
export function undoneRows(m: UndoResultMessage): string[] | 'all' | null {
  if (m.sources.some((s) => s.more > 0)) return 'all';
  const paths = m.sources.flatMap((s) => [...s.restored, ...s.removed]);
  return paths.length > 0 ? paths : null;
}

/**
 * What one member remembers per run it took part in (a sync's share or an undo order): the manifest run each of its
 * folders (by stable id) was written under. Only the leader's orders use it: an order names a run by the session's id.
 */
export class CloudUndo {
  readonly #o: CloudUndoOptions;
  /** Session run id (sync or undo order) → source id → the run id of that folder's manifest. */
  readonly #runs = new Map<string, Map<string, string>>();
  #last: string | null = null;
  #orders = 0;
  /** The current order and every member's outcome of it. */
  #order: { id: string; results: Map<string, UndoResultMessage> } | null = null;
  #early: { from: string; m: UndoResultMessage }[] = [];

  constructor(o: CloudUndoOptions) {
    this.#o = o;
  }

  /** The session run this member took part in last (what "Undo last run" undoes), or null. */
  get last(): string | null {
    return this.#last;
  }
  /** The current order's id and every member's outcome so far. */
  get current(): { id: string; results: ReadonlyMap<string, UndoResultMessage> } | null {
    return this.#order;
  }

  /** A run of the session this member took part in: which manifest run each of its folders got. */
  record(run: string, bySource: ReadonlyMap<string, string>): void {
    this.#runs.set(run, new Map(bySource));
    this.#last = run;
    while (this.#runs.size > 32) this.#runs.delete(this.#runs.keys().next().value as string); // older runs: undo only the last
  }

  /** Leader: orders every member (itself included) to undo the last run. Returns the order's id. */
  async order(): Promise<string> {
    if (!this.#o.session.isLeader) throw new Error('only the leader orders an undo');
    if (this.#last === null) throw new Error('no run to undo');
    const id = `u${this.#o.clock.now().toString(36)}-${++this.#orders}`;
    await this.#o.session.leadRun({ type: 'undo-run', v: MESH_PROTOCOL_VERSION, order: id, run: this.#last });
    return id;
  }

  /** The leader's order (admitted by the leader rule: from the current A only), carried out on this member's folders. */
  async take(m: UndoRunMessage): Promise<void> {
    this.#order = { id: m.order, results: new Map() };
    for (const e of this.#early.splice(0)) if (e.m.order === m.order) this.receive(e.from, e.m);
    if (this.#o.busy()) return this.#send({ type: 'undo-result', v: MESH_PROTOCOL_VERSION, order: m.order, busy: true, sources: [] });
    const letter = this.#o.session.members.find((x) => x.self)?.letter ?? '';
    const runs = this.#runs.get(m.run);
    const sources: SourceOutcome[] = [];
    const made = new Map<string, string>();
    for (const [i, { source, id }] of this.#o.own().entries()) {
      const run = runs?.get(id);
      if (run === undefined || source.rootKind !== 'directory') continue; // this folder took no part in that run
      sources.push(await this.#undoOne(`${letter}${i + 1}`, source, run, (undoRun) => made.set(id, undoRun)));
    }
    this.record(m.order, made);
    if (sources.some((s) => s.restored.length + s.removed.length > 0)) this.#o.undone();
    return this.#send({ type: 'undo-result', v: MESH_PROTOCOL_VERSION, order: m.order, sources });
  }

  async #undoOne(code: string, sink: OwnSource['source'], run: string, made: (undoRun: string) => void): Promise<SourceOutcome> {
    try {
      const r = await undoLastRun({ sink, hasher: this.#o.hasher, clock: this.#o.clock, run });
      if (r.undoRun) made(r.undoRun);
      const cut = <T>(list: T[]) => list.slice(0, MAX_UNDO_PATHS);
      const more = Math.max(0, r.restored.length - MAX_UNDO_PATHS) + Math.max(0, r.removed.length - MAX_UNDO_PATHS) + Math.max(0, r.leftAlone.length - MAX_UNDO_PATHS);
      return { code, restored: cut(r.restored), removed: cut(r.removed), leftAlone: cut(r.leftAlone).map(({ path, reason }) => ({ path, reason })), more };
    } catch (error) {
      return { code, restored: [], removed: [], leftAlone: [], more: 0, error: toFsError(error, '').message.slice(0, 200) };
    }
  }

  async #send(message: UndoResultMessage): Promise<void> {
    this.#keep(this.#o.session.self, message);
    await this.#o.session.broadcastRun(message);
  }

  /** A member's outcome: kept for the current order only, and only about the sender's own folders (its letter). */
  receive(from: string, m: UndoResultMessage): void {
    // A quicker member's outcome may come before the leader's order does (another pair's channel): kept for it, bounded.
    if (this.#order?.id !== m.order) return void (this.#early.length < 8 && this.#early.push({ from, m }));
    const letter = this.#o.session.members.find((x) => x.id === from)?.letter ?? '';
    const own = m.sources.filter((s) => s.code[0] === letter);
    if (own.length < m.sources.length) this.#o.problem(`undo-result-refused:${letter}: ${m.sources.length - own.length} folder(s) not its own`);
    this.#keep(from, { ...m, sources: own });
  }

  #keep(member: string, m: UndoResultMessage): void {
    this.#order?.results.set(member, m);
    this.#o.result(member, m);
  }
}
