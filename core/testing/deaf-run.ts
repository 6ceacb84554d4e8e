/**
 * Test helper: a member whose session takes the leader's `command` (its phase moves on) while its run never hears of
 * it until `release()` — a member that takes part and says nothing (docs/security.md, table row 22).
 */
export function deafRun(m: { session: unknown }, command: 'start-inventory' | 'start-sync'): { release(): void } {
  const held: unknown[][] = [];
  const session = m.session as { emit: (...args: unknown[]) => unknown };
  const emit = session.emit.bind(session);
  session.emit = (...args) => (args[0] === 'run.command' && args[1] === command ? (held.push(args), false) : emit(...args));
  return {
    release: () => {
      session.emit = emit;
      for (const args of held.splice(0)) emit(...args);
    },
  };
}
