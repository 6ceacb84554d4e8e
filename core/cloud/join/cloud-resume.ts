/** A member back from a reload takes its place again (docs/protocol.md §8, Reload): the record it kept, the server's token, a new mesh. */
import * as v from 'valibot';
import { fromB64u } from '../../crypto/bytes.ts';
import { generatePassword } from '../../crypto/password.ts';
import { PeerId, ResumeToken } from '../../protocol/signal-messages.ts';
import { validateSettings } from '../../settings/settings.ts';
import type { CloudDeps } from '../cloud-ports.ts';
import type { ResumeRecord } from '../cloud-session-types.ts';
import { CloudSession } from '../cloud-session.ts';
import { withRoleMoved } from '../session-inbound.ts';
import { CloudJoinError, closeReason } from './cloud-start.ts';

/** The record's shape, checked where it is read back (sessionStorage is the page's, but a bad record must not crash it). */
const RecordSchema = v.object({
  v: v.literal(1),
  sessionId: v.pipe(v.string(), v.maxLength(64)),
  self: PeerId,
  token: ResumeToken,
  epoch: v.pipe(v.number(), v.integer(), v.minValue(0)),
  key: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)),
  order: v.pipe(v.array(PeerId), v.minLength(1), v.maxLength(5)),
  settings: v.unknown(),
  slot: v.optional(PeerId),
  aliases: v.optional(v.pipe(v.record(PeerId, PeerId), v.check((r) => Object.keys(r).length <= 5))),
  identity: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/))),
});

/** A stored record as a ResumeRecord, or null when it is not one (unreadable, from another version, bad settings). */
export function readResumeRecord(value: unknown): ResumeRecord | null {
  const parsed = v.safeParse(RecordSchema, value);
  if (!parsed.success || !parsed.output.order.includes(parsed.output.self)) return null;
  const settings = validateSettings(parsed.output.settings);
  if (!settings.ok) return null;
  return { ...parsed.output, settings: settings.settings };
}

/**
 * Takes the slot `record.self` held back: `?session=…&resume=<self>` with the token as first frame. The server gives a
 * new member ID at the same place in join order (pair keys derive from IDs, so no frame counter is reused under the
 * kept session key). The order is the one kept, less members the server no longer lists; the leader's `roster` adds
 * any admitted meanwhile. A member back without the password learns it from the leader's `roster`; a leader back makes
 * a new one (it kept none) and hands it over the same way. Rejects with a CloudJoinError when the slot is gone
 * (`no-such-session`: the grace passed, or the session ended) or the token is refused (`wrong-password`).
 */
export function resumeCloudSession(deps: CloudDeps, record: ResumeRecord): Promise<CloudSession> {
  return new Promise((resolve, reject) => {
    const key = fromB64u(record.key);
    if (key?.length !== 32) return reject(new CloudJoinError('protocol'));
    const seed = record.identity === undefined ? null : fromB64u(record.identity);
    let session: CloudSession | null = null;
    const connection = deps.signal.connect({
      session: record.sessionId,
      // After a re-home the server knows this slot (and the others) under other IDs than the mesh's.
      resume: { was: record.slot ?? record.self, token: record.token },
      handlers: {
        onMessage: (message) => {
          if (session) return session.onSignal(message);
          if (message.type !== 'welcome' || message.role !== 'member' || message.resumed !== (record.slot ?? record.self)) return;
          const meshOf = new Map(Object.entries(record.aliases ?? {}).map(([mesh, server]) => [server, mesh]));
          const addresses = new Map(message.members.map((m) => [meshOf.get(m.id) ?? m.id, m.address ?? '']));
          const order = record.order.map((id) => (id === record.self ? message.id : id)).filter((id) => id === message.id || addresses.has(id));
          const leader = order[0] === message.id;
          session = new CloudSession({
            deps, connection, sessionId: message.session, self: message.id, iceServers: message.iceServers, limits: message.limits,
            members: order.map((id) => ({ id, address: id === message.id ? message.address : (addresses.get(id) ?? '') })),
            password: leader ? generatePassword(deps.random) : '', sessionKey: key, epoch: record.epoch,
            settings: withRoleMoved(record.settings, record.self, message.id), ...(message.resume ? { resumeToken: message.resume } : {}),
            ...(record.aliases ? { aliases: withoutKey(record.aliases, record.self) } : {}),
            ...(seed?.length === 32 ? { resumeSeed: seed } : {}),
          });
          // The newest connection makes the offers, as a newcomer does, once it holds the current key (a rotation
          // while it was away: the leader seals it to this member's resume identity).
          void session.rejoin();
          resolve(session);
        },
        onClose: (code) => (session ? session.onSignalClosed(code) : reject(new CloudJoinError(closeReason(code)))),
      },
    });
  });
}

/** The aliases less this member's old one (it comes back under a new ID, the same at the server and on the mesh). */
function withoutKey(aliases: Readonly<Record<string, string>>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(aliases).filter(([mesh]) => mesh !== key));
}
