// Preloaded with `NODE_OPTIONS=--import=<this file>` (node refuses --cpu-prof there): profiles the whole process with
// the inspector and writes `<QUINTET_CPU_PROFILE_DIR>/<pid>.cpuprofile` on exit, for chrome://inspect or speedscope.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.QUINTET_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // In-thread inspector calls answer synchronously, so the profile is written even on process.exit().
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
