// Preloaded with `node --import=<this file>`: on exit, appends one JSON line to $QUINTET_CPU_AT_EXIT with the process's
// CPU time (every thread, finished worker threads included: getrusage) and its main thread's on-CPU time (Linux
// /proc/<pid>/task/<pid>/schedstat, nanoseconds), in ms. On a shared machine these move far less than wall time, and
// the main thread's is what a quiet machine with a free second core waits for.
import { appendFileSync, readFileSync } from 'node:fs';

const out = process.env.QUINTET_CPU_AT_EXIT;
if (out) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    let mainMs = null;
    try {
      mainMs = Number(readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      // not Linux: the main thread's time is not known
    }
    appendFileSync(out, `${JSON.stringify({ cpuMs: (user + system) / 1000, mainMs })}\n`);
  });
}
