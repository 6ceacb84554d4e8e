/** Waiting on a member's events: resolves once a check holds, looked at again on every change the member reports. */
import type { CloudMember } from '../core/cloud/member.ts';

/** Thrown when Ctrl-C (the io's signal) ends a wait. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

/**
 * Thrown when the session ended (the signaling server let go of this member: a close such as 4429) while a wait's
 * check still did not hold: nothing it waits for can come any more, and a wait left pending would leave the process
 * with nothing to run, so Node would end it with its own exit code 13 instead of one of the command's.
 */
export class SessionEnded extends Error {
  override readonly name = 'SessionEnded';
}

/**
 * Resolves with `check()`'s first non-undefined value; it is looked at now and after every session or run event that
 * can change what a command waits for. Rejects with Interrupted when `signal` aborts, with SessionEnded when the
 * session ends first (a check that waits for the end itself resolves, as it is looked at first).
 */
export function until<T>(member: CloudMember, check: () => T | undefined, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let unwatch = () => undefined as void;
    const done = () => {
      unwatch();
      signal.removeEventListener('abort', abort);
    };
    const abort = () => {
      done();
      reject(new Interrupted('stopped by Ctrl-C'));
    };
    const look = () => {
      const value = check();
      if (value === undefined && member.session.phase !== 'ended') return;
      done();
      if (value === undefined) reject(new SessionEnded('the session ended before this was done'));
      else resolve(value);
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort);
    unwatch = watch(member, look);
    look();
  });
}

/** Calls `look` after every session or run event that can change what a command waits for; returns the unsubscribe. */
export function watch(member: CloudMember, look: () => void): () => void {
  const s = member.session;
  const r = member.run;
  const offs = [s.on('members.changed', look), s.on('phase.changed', look), s.on('run.reset', look), s.on('ended', look)];
  offs.push(r.on('state.changed', look), r.on('comparison.ready', look), r.on('result', look), r.on('problem', look), r.on('member.silent', look));
  return () => {
    for (const off of offs) off();
  };
}
