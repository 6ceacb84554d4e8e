/**
 * A headed Debian Chromium on its own Xvfb display, driven over CDP: the only way a test meets Chrome's native
 * folder chooser and permission bubble on real disk. Everything started here is ended here, by process group id.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { freePort } from '../../e2e/support/free-port.ts';

export const SCREEN = { width: 1600, height: 1000 };
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Desktop {
  display: string;
  /** Environment for xdotool / import: the display and the scratch HOME. */
  env: NodeJS.ProcessEnv;
  browser: Browser;
  page: Page;
  /** Scratch folder holding HOME and the profile; removed by stop(). */
  scratch: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A display number nobody uses: no lock file and no socket. */
function freeDisplay(): number {
  for (let n = 90 + Math.floor(Math.random() * 300); ; n++) {
    if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  }
}

/** Ends a process group we started (detached children lead their own group). */
function endGroup(child: ChildProcess | null, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

async function waitExit(child: ChildProcess | null, ms: number): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  await Promise.race([new Promise((r) => child.once('exit', r)), sleep(ms)]);
}

/** Starts Xvfb and a headed Chromium on it, connects over CDP, and returns its first page. */
export async function startDesktop(): Promise<Desktop> {
  const scratch = mkdtempSync(join(tmpdir(), 'quintet-disk-'));
  const home = join(scratch, 'home');
  const profile = join(scratch, 'profile');
  mkdirSync(home, { recursive: true });
  mkdirSync(profile, { recursive: true });
  let xvfb: ChildProcess | null = null;
  let browserProcess: ChildProcess | null = null;
  const processes = () => [browserProcess, xvfb];
  const stopAll = async () => {
    endGroup(browserProcess);
    await waitExit(browserProcess, 5_000);
    endGroup(browserProcess, 'SIGKILL');
    endGroup(xvfb);
    await waitExit(xvfb, 5_000);
    endGroup(xvfb, 'SIGKILL');
  };
  const onExit = () => {
    for (const p of processes()) endGroup(p, 'SIGKILL');
  };
  process.once('exit', onExit);
  try {
    const n = freeDisplay();
    const display = `:${n}`;
    xvfb = spawn('Xvfb', [display, '-screen', '0', `${SCREEN.width}x${SCREEN.height}x24`, '-nolisten', 'tcp'], { detached: true, stdio: 'ignore' });
    for (let i = 0; !existsSync(`/tmp/.X11-unix/X${n}`); i++) {
      if (i > 150 || xvfb.exitCode !== null) throw new Error(`Xvfb ${display} did not start`);
      await sleep(100);
    }
    // LANG: without an installed locale Chrome refuses non-ASCII file names; HOME: the GTK chooser's state stays here.
    const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display, HOME: home, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share'), XDG_CACHE_HOME: join(home, '.cache') };
    const port = await freePort();
    browserProcess = spawn(
      process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      [...CHROMIUM_FLAGS, `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, '--window-position=0,0', `--window-size=${SCREEN.width},${SCREEN.height}`, '--lang=en-US', 'about:blank'],
      { detached: true, stdio: 'ignore', env },
    );
    let browser: Browser | null = null;
    for (let i = 0; !browser; i++) {
      try {
        browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 10_000 });
      } catch (error) {
        if (i > 60 || browserProcess.exitCode !== null) throw new Error(`Chromium did not open its debugging port: ${String(error)}`, { cause: error });
        await sleep(500);
      }
    }
    const context = browser.contexts()[0]!;
    // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it defined there.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      display,
      env,
      browser,
      page,
      scratch,
      stop: async () => {
        await browser.close().catch(() => undefined);
        await stopAll();
        process.removeListener('exit', onExit);
        rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopAll();
    process.removeListener('exit', onExit);
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

/** Runs xdotool on the desktop's display; returns its stdout. */
export function xdo(desktop: Pick<Desktop, 'env'>, ...args: string[]): string {
  return execFileSync('xdotool', args, { env: desktop.env, encoding: 'utf8', timeout: 20_000 }).trim();
}
