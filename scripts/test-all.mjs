// Runs every check and test runner in turn and ends with one line "N passed, N failed" summed over all of them.
// Typecheck and lint count as one test each; Vitest and Playwright report their own counts through JSON files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { ensureSystemPackages } from './system-packages.mjs';

const out = '.test-output';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
// Each failed test's name and the head of its message, printed again at the very end: CI keeps only the tail of the
// output, and a flake that cannot be named cannot be fixed.
const failures = [];
const head = (text, n = 12) => stripVTControlCharacters(String(text ?? '')).split('\n').slice(0, n).join('\n');

function run(name, command, args, env = {}) {
  if (only.length && !only.includes(name) && name !== 'build:cli') return null;
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, CI: process.env.CI ?? '1', ...env } });
  return result.status ?? 1;
}

function single(name, status) {
  if (status === null) return;
  if (status === 0) totals.passed++; else totals.failed++;
  lines.push(`${name}: ${status === 0 ? 'ok' : 'FAILED'}`);
}

function fromJson(name, status, file, count, failed = () => []) {
  if (status === null) return;
  if (!existsSync(file)) {
    totals.failed++;
    lines.push(`${name}: no report (exit ${status})`);
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const c = count(report);
  for (const f of failed(report)) failures.push(`[${name}] ${f.title}\n${head(f.message)}`);
  // A runner that exits non-zero without a failed test (crash, error outside tests) counts as one failure.
  if (status !== 0 && c.failed === 0) c.failed = 1;
  totals.passed += c.passed; totals.failed += c.failed; totals.skipped += c.skipped;
  lines.push(`${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
}

// The system packages first (chromium, coturn, xvfb …): `npm ci && npm test` is complete alone on a fresh machine.
if (!process.env.QUINTET_SKIP_SYSTEM_PACKAGES) {
  const problem = ensureSystemPackages();
  if (problem) {
    totals.failed++;
    lines.push(`system packages: ${problem}`);
  }
}

// The quintet command's bundle (dist/cli/), before any runner that starts the bin, so they run it as `npm ci` leaves it.
if (!only.length || only.some((name) => ['unit', 'e2e', 'disk'].includes(name))) single('build:cli', run('build:cli', 'npm', ['run', '--silent', 'build:cli']));
single('typecheck', run('typecheck', 'npm', ['run', '--silent', 'typecheck']));
single('lint', run('lint', 'npm', ['run', '--silent', 'lint']));
fromJson('unit', run('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}/vitest.json`]),
  `${out}/vitest.json`, (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + (r.numTodoTests ?? 0) }),
  (r) => r.testResults.flatMap((file) => [
    ...(file.status === 'failed' && file.assertionResults.every((a) => a.status !== 'failed') ? [{ title: file.name, message: file.message }] : []),
    ...file.assertionResults.filter((a) => a.status === 'failed').map((a) => ({ title: `${file.name} › ${a.fullName}`, message: a.failureMessages.join('\n') })),
  ]));
const playwrightCounts = (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky, skipped: r.stats.skipped });
/** Every spec whose test did not pass as expected, with its first error (suites nest). */
function playwrightFailures(r) {
  const found = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'expected' || t.status === 'skipped') continue;
        const error = t.results?.flatMap((res) => res.errors ?? [])[0];
        found.push({ title: `${spec.file}:${spec.line} › ${spec.title} (${t.status})`, message: error?.message ?? '' });
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of r.suites ?? []) walk(suite);
  for (const error of r.errors ?? []) found.push({ title: '(outside any test)', message: error.message ?? '' });
  return found;
}
fromJson('e2e', run('e2e', 'npx', ['playwright', 'test'], { CI: '1' }), `${out}/playwright.json`, playwrightCounts, playwrightFailures);
// Real-disk lane: headed Chromium on its own Xvfb display, the native folder chooser answered with xdotool.
fromJson('disk', run('disk', 'npx', ['playwright', 'test', '-c', 'e2e-disk/playwright.config.ts'], { CI: '1' }), `${out}/playwright-disk.json`, playwrightCounts, playwrightFailures);

if (failures.length) console.log(`\n=== failed (${failures.length})\n${failures.join('\n\n')}`);
console.log('\n' + lines.join('\n'));
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed ? 1 : 0);
