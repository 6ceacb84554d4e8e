/** The text of the "## Transfer" section: date, machine, command, table, what was and wasn't measured, method. */
import { mbps } from './report.ts';
import { machineLines } from '../shared/machine.ts';
import { bestRaw, cliRatio, type Measures } from './rows.ts';

/** CLI ↔ CLI's target (issue 11): at least this share of the Node WebRTC stack's raw rate. */
export const CLI_TARGET = 0.85;

export interface RunText extends Measures {
  result: string;
  chromium: string;
  /** The installed @roamhq/wrtc version. */
  wrtc: string;
  /** `git rev-parse --short HEAD`, and the app directories with uncommitted changes ('' if none). */
  commit: string;
  dirty: string;
}

/** What Quintet's own rows say, when measured: share of the raw ceiling, payload overhead, small-file cost. */
function quintetReading(r: RunText): string[] {
  const out: string[] = [];
  const best = bestRaw(r.raw);
  if (typeof r.file !== 'string') {
    const rate = mbps(r.single.bytes, r.file.seconds);
    out.push(
      `Quintet's E2EE transfer of one file reaches ${rate.toFixed(1)} MB/s, ${(rate / mbps(best.bytes, best.seconds)).toFixed(2)}× the best raw rate; B's data channels received`,
      `${r.file.channelBytes.toLocaleString('en-US')} B for ${r.single.bytes.toLocaleString('en-US')} B of file (framing, encryption and messages: ${((r.file.channelBytes / r.single.bytes - 1) * 100).toFixed(2)}% over).`,
    );
  }
  if (typeof r.full !== 'string') {
    const rate = mbps(r.corpus.bytes, r.full.seconds);
    const slower = typeof r.file === 'string' ? '' : `, ${(mbps(r.single.bytes, r.file.seconds) / rate).toFixed(1)}× below the one-file rate (per-file costs)`;
    out.push(
      `The full sync of the corpus runs at ${rate.toFixed(1)} MB/s overall (${r.full.channelBytes.toLocaleString('en-US')} B on B's channels for ${r.corpus.bytes.toLocaleString('en-US')} B of files)${slower};`,
      `Syncthing's full sync of the same corpus is ${(r.full.seconds / r.syncthing.syncSeconds).toFixed(1)}× faster.`,
    );
  }
  return out;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export function describeRun(r: RunText): string {
  const count = (prefix: string) => Object.keys(r.corpus.spec).filter((path) => path.startsWith(prefix)).length;
  const missing = [['(c)', r.file], ['(d)', r.full], ['(f)', r.cli], ['(g)', r.toCli]].filter(([, x]) => typeof x === 'string') as [string, string][];
  const notMeasured = missing.length > 0
    ? [
        `**Not measured in this run: ${missing.map(([k]) => k).join(' and ')}.** Why: ${missing.map(([k, why]) => `${k} ${why}`).join('; ')}.`,
        "The script already drives both through the UI (`bench/transfer/quintet.ts`) and reports the reason instead of a",
        'number when they cannot run; the rows and their ratios fill in on the first run after cross-member',
        'synchronization lands.',
        '',
      ]
    : [];
  const best = bestRaw(r.raw);
  const floor = r.corpus.bytes / 1e6 / mbps(best.bytes, best.seconds);
  const ratio = cliRatio(r);
  const target = [
    `Target CLI ↔ CLI ≥ ${CLI_TARGET}× Node raw: ${ratio === null ? '**not measured**' : ratio >= CLI_TARGET ? `**met** (${ratio.toFixed(2)}×)` : `**NOT met** (${ratio.toFixed(2)}×)`}.`,
    '',
  ];
  const cliReading = typeof r.cli === 'string' ? [] : [
    `CLI ↔ CLI mirrors the corpus at ${mbps(r.corpus.bytes, r.cli.seconds).toFixed(1)} MB/s, ${(ratio as number).toFixed(2)}× the faster Node raw run around it`,
    `(${r.nodeRaw.map((n) => n.mbPerSecond.toFixed(1)).join(' and ')} MB/s); CPU meanwhile: sender ${r.cli.cpu[0].toFixed(1)} s, receiver ${r.cli.cpu[1].toFixed(1)} s (every thread of each process).`,
  ];
  const reading = [
    `**Reading.** The best raw data channel rate (${mbps(best.bytes, best.seconds).toFixed(1)} MB/s) is the ceiling of any transfer between the two`,
    `pages; at that rate the corpus alone takes ${floor.toFixed(1)} s, ${(floor / r.syncthing.syncSeconds).toFixed(1)}× Syncthing's full sync (${r.syncthing.syncSeconds.toFixed(2)} s, TLS over TCP`,
    "on loopback), before any encryption, hashing or disk work of Quintet's own. In Chromium each message goes renderer →",
    'network service process → UDP → network service → renderer, and SCTP runs in the renderers; on two shared cores the',
    'three processes compete for CPU (the background page\'s renderer also runs at nice 5).',
    ...quintetReading(r),
    ...cliReading,
    '',
  ];
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:transfer\` (= \`npx tsx bench/transfer/run.ts\`; it builds the app, serves it on a free port on loopback, and cleans \`bench/.work/\` at the end).`,
    '',
    ...machineLines(`Chromium ${r.chromium} (Debian, \`/usr/bin/chromium\`, headless), Syncthing v${/^syncthing v?(\S+)/.exec(r.syncthing.version)?.[1] ?? r.syncthing.version} (Debian package), @roamhq/wrtc ${r.wrtc} under @thaunknown/simple-peer`),
    `- Code measured: commit ${r.commit}${r.dirty ? ` plus uncommitted changes in ${r.dirty}` : ' (app directories clean)'}`,
    '',
    r.result.replace(/not measured: [^|]*/g, 'not measured (see below) '),
    '',
    ...target,
    ...notMeasured,
    ...reading,
    `**Corpus.** ${r.corpus.files.toLocaleString('en-US')} files, ${mib(r.corpus.bytes)}: ${count('large/')} large files, ${count('medium/')} files of 8 MiB and ${count('small/').toLocaleString('en-US')} small`,
    'files of 1–64 KiB in 40 folders, deterministic bytes (the xorshift generator of `e2e/support/opfs-tree.ts`), written',
    'to disk for Syncthing and the CLI, into the Origin Private File System for the pages. MB = 10⁶ bytes.',
    '',
    `**Raw data channel (a).** Two pages of one headless Chromium (persistent profile), A on \`http://localhost\`, B on`,
    '`http://127.0.0.1` (two origins, so two separate storages as for two members); one `RTCPeerConnection` per',
    'measure, no STUN/TURN (host candidates on loopback), descriptions relayed by the script; one ordered, reliable',
    `channel; A sends ${mib(r.raw[0]!.bytes)} of one reused buffer, waiting on \`bufferedamountlow\` (threshold half the`,
    'in-flight bound) whenever `bufferedAmount` would pass the bound; the time runs until B has counted every byte and',
    'answered on the channel. No encryption beyond DTLS, no disk. The last raw row splits the bytes over two channels',
    'of the same connection sending in parallel (does a second channel help?).',
    '',
    '**Quintet (c), (d).** The same two pages: A starts a Cloud Session, B joins it with the ID and password, A adds the',
    'source folder as A1 and B an empty folder as B1 (real "Add directory" buttons, pickers replaced as in e2e), the leader',
    'inventories, applies the Mirror A1 → B1 preset and synchronizes. Time: from A\'s session entering `syncing` to both',
    "members `synced` (wall clock, timestamped in the pages); B1 is then read back and every file's SHA-256 compared with",
    "the source's. Bytes received on B's data channels are read from `RTCDataChannelStats`. (c) is one",
    `${mib(r.single.bytes)} file; (d) is the corpus. The ratio of (c) is its MB/s over the best raw row; of (d), that and its`,
    "time over Syncthing's.",
    '',
    `**Node raw (e).** The Node stack the \`quintet\` command uses (simple-peer over @roamhq/wrtc), between two Node`,
    `processes on loopback: ${mib(r.nodeRaw[0]!.bytes)} in ${r.nodeRaw[0]!.messageBytes}-byte messages (a block piece's frame, the largest the mesh sends) with the`,
    "mesh's backpressure (past 4 MiB buffered, wait for 1 MiB, polling `bufferedAmount`: this stack never fires",
    '`bufferedamountlow`), no sealing, no disk (`bench/transfer/node-raw.ts`). Run just before and just after (f); (f) is',
    'held against the faster of the two (the machine is shared: the stricter reading).',
    '',
    '**CLI ↔ CLI (f).** `quintet create --preset mirror --yes --members 2` on the disk corpus and `quintet join` on an',
    'empty folder, two processes, a signaling server in the bench\'s process. Time: from the member printing',
    '"Synchronization started by the leader." to it printing its own result (plan check, block pulls over the sealed mesh,',
    'staging, bytes counted and the staged size checked, moves); the inventories before it are not counted. B1 is then compared with A1 file',
    'by file (SHA-256).',
    '',
    '**Browser → CLI (g).** Page A leads a new session, `quintet join` holds an empty disk folder as B1, A adds its OPFS',
    'corpus (the one of (d)) as A1, inventories and mirrors A1 → B1. Time: from A\'s session entering `syncing` to the',
    'CLI\'s `run-result` reaching A (A writes nothing); B1 on disk is then compared with the corpus file by file. Its first ratio is its rate over',
    'the best raw row (the page\'s channel is the ceiling), the second its time over Syncthing\'s.',
    '',
    `**Syncthing (b).** Two instances of the Debian package, keys from \`syncthing generate\`, \`config.xml\` written by`,
    'the script: listen on `tcp://127.0.0.1:<free port>`, each other as static address; global and local discovery,',
    'relays, NAT, STUN, upgrades, usage and crash reporting off; GUI/REST on 127.0.0.1 with a random API key; normal',
    'priority; one folder, A send-only, B receive-only (the Mirror of Quintet), file watcher off. B\'s folder starts',
    "paused; once A's initial scan has indexed every byte (its own row) and the two are connected, the script resumes",
    "B's folder (`PATCH /rest/config/folders/bench`) and polls `/rest/db/status` on B every 50 ms until it is idle with",
    'nothing needed and every file and byte local; the disk copies are then compared file by file (SHA-256).',
    'The Syncthing run comes first, with nothing else of the benchmark running; Chromium starts after it.',
  ].join('\n');
}
