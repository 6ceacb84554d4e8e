/**
 * Stress for the order of the first messages of a Node member's channels: `tsx adapters/node/mesh-order-stress.ts
 * [processes] [pairs] [at once] [parallel] [each|burst] [core dir]` runs adapters/node/mesh-order.fixture.ts that many
 * times (`parallel` at a time, each making `pairs` real core/mesh pairs over @roamhq/wrtc, `at once` connecting
 * together, sending `each` message on its own or in a `burst`) and sums what they saw: per direction, pairs whose
 * messages were all handed on in order, pairs with drops (by reason), with messages missing or out of order, and pairs
 * whose channel handed frames out of counter order (some examples). `core dir`: another checkout's core/, to run its mesh (an older inlet) over this transport.
 */
import { fileURLToPath } from 'node:url';
import { stressFixture } from './run-fixture.ts';

const FIXTURE = fileURLToPath(new URL('./mesh-order.fixture.ts', import.meta.url));
const arg = (at: number, fallback: number) => Number(process.argv[2 + at] ?? fallback);
const [PROCESSES, PAIRS, AT_ONCE, PARALLEL] = [arg(0, 50), arg(1, 60), arg(2, 8), arg(3, 2)];
const SEND = process.argv[6] ?? 'each';
const CORE = process.argv[7];

type Report = { [key: string]: number | string[] | Report };

/** Adds `report` into `total`: numbers summed, lists joined, objects merged key by key. */
function add(total: Report, report: Report): void {
  for (const [key, value] of Object.entries(report)) {
    const sum = total[key];
    if (typeof value === 'number') total[key] = (typeof sum === 'number' ? sum : 0) + value;
    else if (Array.isArray(value)) total[key] = [...(Array.isArray(sum) ? sum : []), ...value];
    else add((total[key] = typeof sum === 'object' && !Array.isArray(sum) ? sum : {}) as Report, value);
  }
}

const total: Report = {};
const ends = await stressFixture<Report>(FIXTURE, [String(PAIRS), String(AT_ONCE), SEND, ...(CORE ? [CORE] : [])], PROCESSES, PARALLEL, (report) => add(total, report));
process.stdout.write(`${JSON.stringify({ processes: PROCESSES, pairsPerProcess: PAIRS, atOnce: AT_ONCE, parallel: PARALLEL, send: SEND, core: CORE ?? 'this checkout', ends, ...total }, null, 1)}\n`);
