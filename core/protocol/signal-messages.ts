/** The signaling wire schema (v1): every message between a client and the signaling server, one valibot schema per message. */
import * as v from 'valibot';

/** Protocol version announced in `welcome`; a client that does not know it should stop. */
export const SIGNAL_PROTOCOL_VERSION = 1;

/** The WebSocket path of the signaling endpoint on every deployment. */
export const SIGNAL_PATH = '/signal';

/** Ephemeral connection ID the server assigns: 16 lower-case hex digits (64 random bits). */
export const PeerId = v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/));

/** An envelope body is opaque text (clients put sealed, base64url-encoded bytes there); only the frame size bounds it. */
const Body = v.string();

// ---- client → server -------------------------------------------------------------------------

/** Relay `body` to the connection `to` of the same session (member ↔ member, member ↔ candidate). */
export const SendMessage = v.object({ type: v.literal('send'), to: PeerId, body: Body });
/** A member lets a candidate in after a successful PAKE; the candidate becomes a member. */
export const AdmitMessage = v.object({ type: v.literal('admit'), candidate: PeerId });
/** A member reports a failed PAKE: the candidate is closed and, if it spoke to the session, its address gets one failure. */
export const DenyMessage = v.object({ type: v.literal('deny'), candidate: PeerId });
/** Heartbeat; the server answers `pong`. Any frame counts as a sign of life, this one exists for idle clients. */
export const PingMessage = v.object({ type: v.literal('ping') });
/** Leaving on purpose (a v1 extension, `resume`): the slot is released at once instead of held for a resume. */
export const LeaveMessage = v.object({ type: v.literal('leave') });
/** A server-issued resume token (64 lower-case hex digits, single use). */
export const ResumeToken = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
/** First frame on a `?session=…&resume=<old id>` connection: the token the server gave that member; it takes the slot back. */
export const ResumeMessage = v.object({ type: v.literal('resume'), token: v.pipe(v.string(), v.maxLength(128)) });

/** Every message a client may send. Unknown keys are dropped (forward compatible); unknown types are refused. */
export const ClientMessage = v.variant('type', [SendMessage, AdmitMessage, DenyMessage, PingMessage, LeaveMessage, ResumeMessage]);
export type ClientMessage = v.InferOutput<typeof ClientMessage>;

/** The `type` values a client may send, for telling "unknown type" from "bad fields". */
export const CLIENT_MESSAGE_TYPES: readonly string[] = ['send', 'admit', 'deny', 'ping', 'leave', 'resume'];

// ---- server → client -------------------------------------------------------------------------

/** One RTCIceServer as handed to RTCPeerConnection. */
export const IceServer = v.object({
  urls: v.array(v.string()),
  username: v.optional(v.string()),
  credential: v.optional(v.string()),
});
export type IceServer = v.InferOutput<typeof IceServer>;

/** A peer of the session; `address` is the public address the server sees, withheld from candidates. */
export const PeerInfo = v.object({ id: PeerId, address: v.optional(v.string()) });
export type PeerInfo = v.InferOutput<typeof PeerInfo>;

/** A token bucket: `burst` messages at once, refilled at `perSecond`. */
export const MessageRate = v.object({ burst: v.number(), perSecond: v.number() });
export type MessageRate = v.InferOutput<typeof MessageRate>;

/**
 * The server's message rates unless its operator set others (signaling/config.ts): per connection, and per address
 * (five members behind one NAT share it). A client keeps under what the server announces, or these without a word.
 */
export const DEFAULT_CONNECTION_RATE: MessageRate = { burst: 60, perSecond: 20 };
export const DEFAULT_ADDRESS_RATE: MessageRate = { burst: 300, perSecond: 100 };

/** The limits this server enforces, so a client can stay under them. The rates are absent from an older server. */
export const Limits = v.object({
  maxFrameBytes: v.number(),
  maxMembers: v.number(),
  idleTimeoutMs: v.number(),
  connectionRate: v.optional(MessageRate),
  addressRate: v.optional(MessageRate),
});
export type Limits = v.InferOutput<typeof Limits>;

/** First message on every accepted connection. Members are listed in join order. */
export const WelcomeMessage = v.object({
  type: v.literal('welcome'),
  v: v.number(),
  session: v.string(),
  id: PeerId,
  role: v.picklist(['member', 'candidate']),
  address: v.string(),
  members: v.array(PeerInfo),
  iceServers: v.array(IceServer),
  limits: Limits,
  /** To a member (the creator, a resumed member): the token that takes its slot back after a dropped socket (single use). */
  resume: v.optional(ResumeToken),
  /** To a resumed member: the ID whose slot (place in join order) it took back; `id` is new. */
  resumed: v.optional(PeerId),
});
/** To a candidate that a member admitted: it is now a member; `members` (with addresses) excludes itself. */
export const AdmittedMessage = v.object({ type: v.literal('admitted'), members: v.array(PeerInfo), resume: v.optional(ResumeToken) });
/** To members: a new member (just admitted), appended to the join order. */
export const JoinedMessage = v.object({ type: v.literal('joined'), id: PeerId, address: v.string() });
/** To members: a candidate connected and wants to run the PAKE. */
export const CandidateMessage = v.object({ type: v.literal('candidate'), id: PeerId, address: v.string() });
/** To everyone concerned: a member or candidate left (closed, timed out, denied). */
export const LeftMessage = v.object({ type: v.literal('left'), id: PeerId });
/** To members: a member's socket dropped without `leave`; its slot is held for the resume grace, then `left` follows. */
export const AwayMessage = v.object({ type: v.literal('away'), id: PeerId });
/** To members: the member `was` resumed its slot under the new ID `id` (same place in join order). */
export const BackMessage = v.object({ type: v.literal('back'), id: PeerId, was: PeerId, address: v.string() });
/** A relayed envelope; `from` is set by the server, never by the sender. */
export const EnvelopeMessage = v.object({ type: v.literal('envelope'), from: PeerId, body: Body });
/** Answer to `ping`. */
export const PongMessage = v.object({ type: v.literal('pong') });
/** A request the server could not carry out; the connection stays open. `ref` names the peer concerned. */
export const ErrorMessage = v.object({
  type: v.literal('error'),
  code: v.picklist(['no-such-peer', 'not-a-member', 'not-a-candidate', 'session-full']),
  ref: v.optional(v.string()),
});

/** Every message the server may send. */
export const ServerMessage = v.variant('type', [
  WelcomeMessage, AdmittedMessage, JoinedMessage, CandidateMessage, LeftMessage, EnvelopeMessage, PongMessage, ErrorMessage,
  AwayMessage, BackMessage,
]);
export type ServerMessage = v.InferOutput<typeof ServerMessage>;

/** The `type` values the server may send; a client ignores others (a newer server). */
export const SERVER_MESSAGE_TYPES: readonly string[] = ['welcome', 'admitted', 'joined', 'candidate', 'left', 'envelope', 'pong', 'error', 'away', 'back'];
export type WelcomeMessage = v.InferOutput<typeof WelcomeMessage>;
export type ErrorCode = v.InferOutput<typeof ErrorMessage>['code'];
