/** WebSocket close codes the signaling server uses (4000–4999 is the application range, RFC 6455 §7.4.2), mirroring HTTP statuses. */

/** Why the server closed (or refused) a connection. The close reason carries the matching text from `CLOSE_REASONS`. */
export const CloseCode = {
  /** Malformed JSON, unknown message type, invalid fields or a binary frame. */
  BadMessage: 4400,
  /** A member denied this candidate's join (failed PAKE). */
  JoinDenied: 4401,
  /** The address is blocked after repeated failed joins. */
  Blocked: 4403,
  /** The session does not exist (never did, or its last member left). */
  NoSuchSession: 4404,
  /** No frame within the idle timeout (the socket is presumed half-open), or a candidate past its join deadline. */
  IdleTimeout: 4408,
  /** The session already has its maximum number of members (or candidates, in all or from one address). */
  SessionFull: 4409,
  /** A standing group's rendezvous asked to be created is already a session (someone else created it first). */
  SessionExists: 4412,
  /** A frame larger than the announced `maxFrameBytes`. */
  FrameTooLarge: 4413,
  /** Message rate, connections or sessions per address over the limit. */
  RateLimited: 4429,
  /** The server is shutting down. */
  GoingAway: 1001,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Reasons sent with a close; short (a close reason is at most 123 bytes) and free of any payload. */
export const CLOSE_REASONS = {
  malformedJson: 'malformed JSON',
  unknownType: 'unknown message type',
  invalidMessage: 'invalid message',
  binaryFrame: 'binary frames are not accepted',
  joinDenied: 'join denied',
  resumeRefused: 'resume refused',
  nothingToResume: 'nothing to resume',
  resumeDeadline: 'resume deadline passed',
  replaced: 'slot resumed elsewhere',
  blocked: 'address blocked after repeated failed joins',
  noSuchSession: 'no such session',
  sessionEnded: 'session ended',
  rendezvousTaken: 'rendezvous already in use',
  idle: 'idle timeout',
  joinDeadline: 'join deadline passed',
  sessionFull: 'session full',
  tooManyCandidates: 'too many candidates waiting',
  tooManyCandidatesFromAddress: 'too many candidates from this address',
  frameTooLarge: 'frame too large',
  messageRate: 'message rate limit exceeded',
  addressRate: 'address message rate limit exceeded',
  tooManyConnections: 'too many connections from this address',
  tooManySessions: 'too many sessions created from this address',
  shutdown: 'server shutting down',
} as const;
