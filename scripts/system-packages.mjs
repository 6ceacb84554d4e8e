// The Debian packages the test suite needs, installed with apt when missing, so `npm ci && npm test` is complete
// alone on a fresh machine (CI included). Each command names the package that provides it and what needs it.
import { spawnSync } from 'node:child_process';

const NEEDED = [
  ['chromium', 'chromium', 'every e2e test (Debian Chromium, never a downloaded browser)'],
  ['openssl', 'openssl', 'benchmarks and crypto cross-checks'],
  ['git', 'git', 'the exclusions oracle test (core/inventory/exclusions.git.test.ts)'],
  ['turnserver', 'coturn', 'relay-only e2e (e2e/cloud-relay.spec.ts)'],
  ['Xvfb', 'xvfb', 'the real-disk lane (e2e-disk/): a virtual display'],
  ['xdotool', 'xdotool', 'the real-disk lane: answering Chrome\'s native folder chooser'],
  ['import', 'imagemagick', 'the real-disk lane: finding Chrome\'s permission bubble on a screenshot'],
  ['rsync', 'rsync', 'the oracle of the headless member\'s tests and bench:local'],
];

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** Installs what is missing; returns an error message when that is impossible here, else null. */
export function ensureSystemPackages() {
  const missing = NEEDED.filter(([command]) => !has(command));
  if (missing.length === 0) return null;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  console.log(`\n=== system packages: installing ${packages.join(', ')}`);
  for (const [command, pkg, why] of missing) console.log(`  ${pkg} (${command}): ${why}`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? [] : has('sudo') ? ['sudo', '-n'] : null;
  if (!has('apt-get') || sudo === null) {
    return `missing ${packages.join(', ')}; install them with your package manager (apt-get install -y ${packages.join(' ')}) and run again`;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    const [command, ...rest] = [...sudo, ...args];
    return spawnSync(command, rest, { stdio: 'inherit', env }).status;
  };
  if (run(['apt-get', 'update', '-qq']) !== 0 || run(['apt-get', 'install', '-y', '-qq', ...packages]) !== 0) {
    return `apt-get could not install ${packages.join(', ')}`;
  }
  const still = missing.filter(([command]) => !has(command)).map(([, pkg]) => pkg);
  return still.length ? `still missing after apt-get: ${still.join(', ')}` : null;
}
