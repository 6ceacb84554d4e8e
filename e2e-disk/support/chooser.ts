/**
 * Answers Chrome's native GTK folder chooser and its permission bubble with real X input (xdotool), the way a person
 * does: the page is never told which folder it gets, so each pick is confirmed by what the page shows afterwards.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { SCREEN, xdo, type Desktop } from './desktop.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Visible X windows of Chromium: [id, name]. */
function chromiumWindows(desktop: Desktop): [string, string][] {
  let ids: string[];
  try {
    ids = xdo(desktop, 'search', '--onlyvisible', '--class', 'chromium').split('\n').filter(Boolean);
  } catch {
    return []; // xdotool exits 1 when nothing matches
  }
  const out: [string, string][] = [];
  for (const id of ids) {
    try {
      out.push([id, xdo(desktop, 'getwindowname', id)]);
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

/** The chooser is the Chromium window that is not the browser window (whose name ends with "- Chromium"). */
async function waitChooser(desktop: Desktop, timeoutMs: number): Promise<string | null> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const dialog = chromiumWindows(desktop).find(([, name]) => !/- Chromium$/.test(name));
    if (dialog) return dialog[0];
    await sleep(250);
  }
  return null;
}

function geometry(desktop: Desktop, id: string): { width: number; height: number } {
  const text = xdo(desktop, 'getwindowgeometry', id);
  const m = /Geometry:\s*(\d+)x(\d+)/.exec(text);
  if (!m) throw new Error(`no geometry for window ${id}: ${text}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Types `path` into the open chooser and presses its Open button. */
async function answerChooser(desktop: Desktop, id: string, path: string): Promise<void> {
  // Xvfb runs no window manager: focus (and raise) the dialog directly; there is no 'activate'.
  xdo(desktop, 'windowraise', id);
  xdo(desktop, 'windowfocus', '--sync', id);
  await sleep(300);
  xdo(desktop, 'key', '--window', id, 'ctrl+l');
  await sleep(300);
  xdo(desktop, 'key', '--window', id, 'ctrl+a');
  // GTK completes inline while typing; a trailing slash could complete into a subfolder, so type without one,
  // then Delete removes whatever completion was selected after the cursor.
  xdo(desktop, 'type', '--delay', '20', path.replace(/\/+$/, ''));
  await sleep(400);
  xdo(desktop, 'key', 'Delete');
  await sleep(300);
  // Return in the path field closes the dialog without a choice: click Open (bottom right of the dialog).
  const { width, height } = geometry(desktop, id);
  xdo(desktop, 'mousemove', '--window', id, String(width - 48), String(height - 25), 'click', '1');
}

/** A screenshot of the whole display (for failures: where the harness got stuck). */
export function screenshot(desktop: Desktop, file = join(desktop.scratch, `shot-${Date.now()}.png`)): string {
  execFileSync('import', ['-window', 'root', file], { env: desktop.env, timeout: 20_000 });
  return file;
}

/** The screen as raw RGB bytes, row by row. */
function screenPixels(desktop: Desktop): Buffer {
  const png = screenshot(desktop, join(desktop.scratch, 'bubble.png'));
  return execFileSync('convert', [png, '-depth', '8', 'rgb:-'], { env: desktop.env, timeout: 20_000, maxBuffer: SCREEN.width * SCREEN.height * 3 + 1024 });
}

const near = (buf: Buffer, at: number, [r, g, b]: readonly number[], tolerance: number) =>
  Math.abs(buf[at]! - r!) <= tolerance && Math.abs(buf[at + 1]! - g!) <= tolerance && Math.abs(buf[at + 2]! - b!) <= tolerance;

// Chrome 156's permission bubble: "Don't Allow" is the filled dark-blue default, "Allow" the pale one to its right.
const DEFAULT_BUTTON = [13, 80, 187];
const ALLOW_BUTTON = [211, 227, 253];

/**
 * Where the bubble's "Allow" button ("Save changes" when the site already edits another folder) is, or null: the pale pixels that have the dark-blue default button at most
 * 260 px to their left on the same row. The bubble moves with the folder name's length, so it is found by colour.
 */
export function findAllow(desktop: Desktop): { x: number; y: number } | null {
  // The pointer may still rest where the last bubble's button was: a hovered button is darker, so move it away first.
  xdo(desktop, 'mousemove', '1', String(SCREEN.height - 2));
  const px = screenPixels(desktop);
  const { width, height } = SCREEN;
  let minX = width, maxX = -1, minY = height, maxY = -1;
  for (let y = 0; y < height * 0.6; y++) {
    let lastDark = -10_000;
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      if (near(px, at, DEFAULT_BUTTON, 14)) lastDark = x;
      else if (x - lastDark <= 260 && near(px, at, ALLOW_BUTTON, 6)) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      }
    }
  }
  // A real button is a solid block, not a few stray pixels.
  if (maxX - minX < 30 || maxY - minY < 15) return null;
  return { x: Math.round((minX + maxX) / 2), y: Math.round((minY + maxY) / 2) };
}

/**
 * Accepts Chrome's "Allow this site to view/edit files?" bubble: clicks "Allow" found by colour; if the colours are
 * not found (another theme), Tab moves focus from the default button to "Allow" and Return presses it.
 * Returns how it was answered.
 */
export async function acceptBubble(desktop: Desktop): Promise<'click' | 'keys'> {
  const browserWindow = chromiumWindows(desktop).find(([, name]) => /- Chromium$/.test(name));
  const allow = findAllow(desktop);
  if (allow) {
    xdo(desktop, 'mousemove', String(allow.x), String(allow.y), 'click', '1');
    return 'click';
  }
  if (browserWindow) xdo(desktop, 'windowfocus', '--sync', browserWindow[0]);
  await sleep(300);
  xdo(desktop, 'key', 'Tab');
  await sleep(200);
  xdo(desktop, 'key', 'Return');
  return 'keys';
}

/** Waits up to `timeoutMs` for a permission bubble and accepts it; false when none came. */
export async function acceptBubbleWhenShown(desktop: Desktop, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const allow = findAllow(desktop);
    if (allow) {
      xdo(desktop, 'mousemove', String(allow.x), String(allow.y), 'click', '1');
      return true;
    }
    await sleep(500);
  }
  return false;
}

export interface PickOptions {
  /** The button that opens the chooser, e.g. page.getByRole('button', { name: 'Add directory' }). */
  button: Locator;
  /** What the page shows once the pick took (e.g. the new source code). */
  picked: Locator;
  /** Absolute folder path to choose. */
  path: string;
  attempts?: number;
}

/** Clicks `button`, answers the chooser with `path`, accepts the bubble, and waits until `picked` is visible. */
export async function pickFolder(desktop: Desktop, options: PickOptions): Promise<void> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // The native dialog blocks the page's click handler: do not wait for it to return.
    await options.button.click({ noWaitAfter: true });
    const chooser = await waitChooser(desktop, 30_000);
    if (chooser) {
      await answerChooser(desktop, chooser, options.path);
      // Wait for the chooser to close, then for the bubble.
      const end = Date.now() + 15_000;
      while (Date.now() < end && chromiumWindows(desktop).some(([id]) => id === chooser)) await sleep(200);
      await sleep(1_500);
      await acceptBubble(desktop);
      try {
        await options.picked.waitFor({ state: 'visible', timeout: 20_000 });
        return;
      } catch {
        /* retry below */
      }
    }
    // Clean up whatever is still open (a chooser or a bubble) before the next attempt.
    for (const [id, name] of chromiumWindows(desktop)) if (!/- Chromium$/.test(name)) xdo(desktop, 'windowclose', id);
    xdo(desktop, 'key', 'Escape');
    await sleep(1_000);
  }
  const shot = screenshot(desktop);
  throw new Error(`could not pick ${options.path} after ${attempts} attempts (screen: ${shot})`);
}

