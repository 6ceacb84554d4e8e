/** What `create` and `join` share before the session: the server, the sources, the member's ports, and start errors. */
import { hostname } from 'node:os';
import type { OwnSource } from '../core/cloud/run/cloud-run-inventory.ts';
import type { JoinFailureReason } from '../core/cloud/join/cloud-join-machine.ts';
import { CloudJoinError } from '../core/cloud/join/cloud-start.ts';
import { signalUrlForServer } from '../adapters/node/signal-client.ts';
import { defaultStateDir } from '../adapters/node/file-store.ts';
import { nodeMemberPorts, type NodeMemberPorts } from '../adapters/node/cloud-member-ports.ts';
import { readRmemDefault, smallUdpBuffer } from '../adapters/node/udp-buffers.ts';
import { UsageError } from './exit-codes.ts';
import { openDirs } from './open-dir.ts';
import type { CliIo } from './io.ts';
import { language, msg } from './i18n.ts';
import { DEFAULT_SERVER } from './default-server.ts';

export { DEFAULT_SERVER };

/** Options both commands take (their help text). */
export const COMMON_OPTIONS_HELP = `  --source <dir>                   a folder (or a single file) this member brings; repeat for more (codes <letter>1, <letter>2 …)
  --server <url>                   the signaling server (default $QUINTET_SERVER, else ${DEFAULT_SERVER})
  --name <device>                  the name the other members see (default this machine's host name)
  --no-fsync                       do not sync written files and folders to disk (faster for many files or large
                                   ones; after a power cut a file just written may be empty or missing)
  -h, --help                       this help`;

/** `parseArgs` options both commands take. */
export const COMMON_OPTIONS = {
  source: { type: 'string', multiple: true },
  server: { type: 'string' },
  name: { type: 'string' },
  'no-fsync': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The server URL as given (checked: http(s) or ws(s)), from `--server`, QUINTET_SERVER, or the default. */
export function serverOf(given: string | undefined, env: CliIo['env']): string {
  const server = given ?? env.QUINTET_SERVER ?? DEFAULT_SERVER;
  try {
    signalUrlForServer(server);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return server;
}

/** The app's address on `server` (the page is served there): the base of invite links, as the page builds them. */
export function appUrlFor(server: string): string {
  const url = new URL(server);
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  url.pathname = url.pathname.replace(/\/signal\/?$/, '').replace(/\/*$/, '/');
  url.search = '';
  url.hash = '';
  return url.href;
}

/** A device name within the profile's 64 characters. */
export function deviceNameOf(given: string | undefined): string {
  const name = (given ?? hostname()).trim();
  if (name === '') throw new UsageError(msg('setup.emptyName'));
  return name.slice(0, 64);
}

/**
 * Opens every `--source`; each one's index lives in its own `.quintet/` (its real path is its stable id).
 * `fsync: false` (`--no-fsync`): what this member writes is not synced to disk (cli/open-dir.ts).
 */
export async function openSources(dirs: readonly string[], ports: Pick<NodeMemberPorts, 'store'>, io: CliIo, options: { fsync?: boolean } = {}): Promise<OwnSource[]> {
  if (dirs.length === 0) throw new UsageError(msg('setup.noSource'));
  if (dirs.length > 64) throw new UsageError(msg('setup.tooMany'));
  return (await openDirs(dirs, ports.store, options)).map(({ dir, sink, id }) => ({ source: io.wrapSink ? io.wrapSink(sink, dir) : sink, id }));
}

/** `QUINTET_ICE_TRANSPORT_POLICY`: `relay` sends every peer connection through the server's TURN (as the page's relay-only setting). */
function icePolicy(env: CliIo['env']): RTCIceTransportPolicy | undefined {
  const value = env.QUINTET_ICE_TRANSPORT_POLICY?.trim();
  if (value === undefined || value === '') return undefined;
  if (value !== 'relay' && value !== 'all') throw new UsageError(msg('setup.icePolicy', { value: JSON.stringify(value) }));
  return value;
}

/**
 * The ports of this process's member: the store in the state folder ($QUINTET_STATE_DIR …). `observe`: its folders
 * are observed between inventories (create, join: a session that may run many; not a one-inventory `quintet run`).
 */
export function memberPortsFor(server: string, name: string, io: CliIo, options: { observe?: boolean } = {}): NodeMemberPorts {
  const ports = nodeMemberPorts({
    server, deviceName: name, stateDir: defaultStateDir(io.env), iceTransportPolicy: icePolicy(io.env), observe: options.observe,
    onBadFrame: (reason) => io.err(msg('setup.badFrame', { reason })),
  });
  // Test-only (docs/cli.md): play a member of another protocol version, for `quintet test`'s own tests.
  const announced = Number(io.env.QUINTET_TEST_ANNOUNCE_PROTOCOL);
  if (io.env.QUINTET_TEST_ANNOUNCE_PROTOCOL && Number.isInteger(announced) && announced > 0) ports.ports.deps.announcedProtocol = announced;
  // Test- and bench-only: announce only these protocol additions (comma-separated, empty: none), as a member from before them.
  const features = io.env.QUINTET_TEST_FEATURES;
  if (features !== undefined) ports.ports.deps.features = features.split(',').map((f) => f.trim()).filter((f) => f !== '');
  // Test- and bench-only: open this many lanes (extra peer connections for block pieces, 0–3) to each peer that takes
  // them, at once and whatever the round trip, instead of adaptively (core/mesh/lanes.ts).
  const lanes = io.env.QUINTET_TEST_LANES?.trim();
  if (lanes) {
    if (!/^[0-3]$/.test(lanes)) throw new UsageError(msg('setup.testLanes', { value: JSON.stringify(lanes) }));
    ports.ports.deps.lanes = Number(lanes);
  }
  // Test-only: send to the signaling server at this pace (`<burst>,<per second>`) instead of under the rates it
  // announces (core/cloud/signal-pacer.ts), as a member from before them: a strict server then ends its session.
  const pace = io.env.QUINTET_TEST_SIGNAL_RATE?.trim();
  if (pace) {
    const match = /^(\d+),(\d+(?:\.\d+)?)$/.exec(pace);
    if (!match || Number(match[1]) < 1) throw new UsageError(msg('setup.testSignalRate', { value: JSON.stringify(pace) }));
    ports.ports.deps.signalRate = { burst: Number(match[1]), perSecond: Number(match[2]) };
  }
  return ports;
}

/**
 * Prints, on stderr (stdout is for scripts), the hint about a small system UDP receive buffer once at the start of a
 * command that opens a mesh; not with QUINTET_QUIET_HINTS=1. Never throws: an unreadable value is no hint.
 */
export function printUdpBufferHint(io: CliIo): void {
  const quiet = io.env.QUINTET_QUIET_HINTS?.trim();
  if (quiet && quiet !== '0') return;
  let hint: string | undefined;
  try {
    hint = udpBufferHint((io.rmemDefault ?? readRmemDefault)());
  } catch {
    return;
  }
  if (hint) io.err(hint);
}

/** A buffer size as the hint says it: 212992 → "208 KiB" ("208 Kio"), 1048576 → "1 MiB". */
function kib(bytes: number): string {
  const [k, m] = language() === 'fr' ? ['Kio', 'Mio'] : ['KiB', 'MiB'];
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} ${m}` : `${Math.round(bytes / 1024)} ${k}`;
}

/** The hint for a default receive buffer of `rmemDefault` bytes: a paragraph when it is small (smallUdpBuffer), else nothing. */
export function udpBufferHint(rmemDefault: number | undefined): string | undefined {
  const small = smallUdpBuffer(rmemDefault);
  if (!small) return undefined;
  // Sizes in bytes are what sysctl reads and writes: plain digits in both languages.
  return msg('setup.udpHint', { current: kib(small.rmemDefault), rmem: String(small.rmemDefault), minimum: kib(small.minimum), suggested: String(small.suggested) });
}

// Each failure's words are in cli/messages.*.ts as start.<reason>: the type makes a new reason need them.
const JOIN_FAILURES: Record<JoinFailureReason, `start.${JoinFailureReason}`> = {
  'wrong-password': 'start.wrong-password',
  'no-such-session': 'start.no-such-session',
  blocked: 'start.blocked',
  'session-full': 'start.session-full',
  'validator-left': 'start.validator-left',
  timeout: 'start.timeout',
  'rate-limited': 'start.rate-limited',
  network: 'start.network',
  protocol: 'start.protocol',
  'rendezvous-taken': 'start.rendezvous-taken',
  'rendezvous-unsupported': 'start.rendezvous-unsupported',
  'not-hub': 'start.not-hub',
};

/** "could not start" text for a failed create or join; rethrows anything that is not a start failure. */
export function startFailure(error: unknown, server: string): UsageError {
  if (error instanceof CloudJoinError) {
    const key = JOIN_FAILURES[error.reason] as `start.${JoinFailureReason}` | undefined;
    const why = key ? msg(key) : error.reason;
    return new UsageError(error.reason === 'network' ? msg('start.networkAt', { why, server }) : why);
  }
  throw error;
}
