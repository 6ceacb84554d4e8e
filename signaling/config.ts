/** Server configuration read from environment variables (process.env on Node, bindings on Workers), with safe defaults. */
import { DEFAULT_ADDRESS_RATE, DEFAULT_CONNECTION_RATE } from '../core/protocol/signal-messages.ts';

/** A token bucket's shape: `burst` tokens at most, refilled at `perSecond`. */
export interface Rate {
  burst: number;
  perSecond: number;
}

/** Everything the signaling server can be told at start. Times in milliseconds. */
export interface SignalingConfig {
  /** Bearer token for /admin/*; admin is disabled (404) when absent. */
  adminToken: string | null;
  /** How many reverse proxies in front of us append to X-Forwarded-For (Node only); 0 = use the socket address. */
  trustProxyHops: number;
  stunUrls: string[];
  turnUrls: string[];
  turnSecret: string | null;
  /** Lifetime of TURN credentials, in seconds. */
  turnTtlSeconds: number;
  maxFrameBytes: number;
  maxMembers: number;
  /** Candidates waiting at once in one session: more is a knock flood. */
  maxCandidates: number;
  /** Candidates waiting at once in one session from one address, so one address cannot hold every slot. */
  maxCandidatesPerAddress: number;
  /** How long a candidate may stay a candidate: past it the server closes it (and charges it if it spoke). */
  candidateDeadlineMs: number;
  /** How long a member whose socket dropped without `leave` keeps its slot (letter, place) for a resume; 0 disables. */
  resumeGraceMs: number;
  /** A connection that sends nothing for this long is closed as half-open (clients ping every third of it). */
  idleTimeoutMs: number;
  connectionRate: Rate;
  addressRate: Rate;
  maxConnectionsPerAddress: number;
  /** New sessions an address may create: a burst, then a slow refill. */
  sessionCreateRate: Rate;
  /** New connections an address may open (the per-isolate stand-in for a connection cap on Workers). */
  connectRate: Rate;
  /** Seed 004's blocked addresses: `failures` failed joins within `windowMs` block the address for `blockMs`. */
  block: { failures: number; windowMs: number; blockMs: number };
}

/** How often the hub sweeps (idle sockets, join deadlines, held slots past their grace): a quarter of the shorter. */
export function sweepEveryMs(config: SignalingConfig): number {
  const grace = config.resumeGraceMs > 0 ? config.resumeGraceMs : Infinity;
  return Math.max(250, Math.min(config.idleTimeoutMs, grace) / 4);
}

/** Environment as both runtimes give it: names to optional strings. */
export type Env = Readonly<Record<string, string | undefined>>;

const list = (value: string | undefined): string[] =>
  (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);

function num(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  // A typo in a limit must not silently disable it: refuse to start instead.
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
  return n;
}

function rate(env: Env, name: string, fallback: Rate): Rate {
  return { burst: num(env, `${name}_BURST`, fallback.burst), perSecond: num(env, `${name}_PER_SECOND`, fallback.perSecond) };
}

/**
 * Reads the configuration. Every limit has an env override named `QUINTET_…` (see docs/signaling-protocol.md);
 * defaults suit a public server. Throws on a malformed number so a typo never disables a limit.
 */
export function readConfig(env: Env): SignalingConfig {
  const token = env.QUINTET_ADMIN_TOKEN?.trim();
  return {
    adminToken: token ? token : null,
    trustProxyHops: num(env, 'QUINTET_TRUST_PROXY_HOPS', 0),
    // No default STUN server: handing clients a third party's address is the operator's choice, not ours.
    stunUrls: list(env.QUINTET_STUN_URLS),
    turnUrls: list(env.QUINTET_TURN_URLS),
    turnSecret: env.QUINTET_TURN_SECRET?.trim() || null,
    turnTtlSeconds: num(env, 'QUINTET_TURN_TTL_SECONDS', 12 * 3600),
    maxFrameBytes: num(env, 'QUINTET_MAX_FRAME_BYTES', 64 * 1024),
    maxMembers: 5,
    maxCandidates: num(env, 'QUINTET_MAX_CANDIDATES', 4),
    maxCandidatesPerAddress: num(env, 'QUINTET_MAX_CANDIDATES_PER_ADDRESS', 2),
    // A join is two round trips of PAKE after the password was typed: half a minute is plenty.
    candidateDeadlineMs: num(env, 'QUINTET_CANDIDATE_DEADLINE_MS', 30_000),
    idleTimeoutMs: num(env, 'QUINTET_IDLE_TIMEOUT_MS', 60_000),
    // A page reload takes seconds; a minute also covers a short network drop.
    resumeGraceMs: num(env, 'QUINTET_RESUME_GRACE_MS', 60_000),
    // Announced in `welcome`: members pace what they send under both (core/cloud/signal-pacer.ts), so only a client
    // that does not gets closed. Five members behind one NAT share an address.
    connectionRate: rate(env, 'QUINTET_CONNECTION_RATE', DEFAULT_CONNECTION_RATE),
    addressRate: rate(env, 'QUINTET_ADDRESS_RATE', DEFAULT_ADDRESS_RATE),
    maxConnectionsPerAddress: num(env, 'QUINTET_MAX_CONNECTIONS_PER_ADDRESS', 32),
    sessionCreateRate: rate(env, 'QUINTET_SESSION_CREATE_RATE', { burst: 10, perSecond: 1 / 60 }),
    connectRate: rate(env, 'QUINTET_CONNECT_RATE', { burst: 30, perSecond: 1 }),
    block: { failures: 5, windowMs: 10 * 60_000, blockMs: 60 * 60_000 },
  };
}
