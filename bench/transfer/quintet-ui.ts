/** Quintet's cloud page driven like a user (as e2e/support/cloud-members.ts does), for pages on two origins of one browser. */
import type { Page } from '@playwright/test';

/** Page handle the cloud page publishes for tests (web/src/state/cloud-session.svelte.ts). */
export interface CloudWindow {
  __quintetPicks: string[];
  __quintetCloud?: {
    session: { self: string; phase: string; on(name: string, fn: (arg: unknown) => void): () => void };
    run: { on(name: string, fn: (member: string) => void): () => void };
  };
  __benchPhases?: { phase: string; at: number }[];
  __benchResults?: { member: string; at: number }[];
}

/** Home → Cloud synchronization → Start cloud session; returns the ID and password from the details. */
export async function startSession(page: Page, url: string): Promise<{ id: string; password: string }> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Cloud synchronization' }).click();
  await page.getByRole('button', { name: 'Start cloud session' }).click();
  const id = page.getByRole('textbox', { name: 'Session ID' });
  for (let i = 0; i < 600 && !/^\d{3}-[A-Z]{3}-\d{3}$/.test(await id.inputValue().catch(() => '')); i++) await page.waitForTimeout(100);
  return { id: await id.inputValue(), password: await page.getByRole('textbox', { name: 'Session password' }).inputValue() };
}

/** Home → Cloud synchronization → Join cloud session with the ID and password; waits for its own block as `letter`. */
export async function joinSession(page: Page, url: string, id: string, password: string, letter: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Cloud synchronization' }).click();
  await page.getByRole('button', { name: 'Join cloud session' }).click();
  await page.getByRole('textbox', { name: 'Session ID' }).fill(id);
  await page.getByRole('textbox', { name: 'Session password' }).fill(password);
  await page.getByRole('button', { name: 'Join cloud session' }).click();
  await page.getByRole('region', { name: `Member ${letter}` }).getByText('This computer').waitFor({ timeout: 60_000 });
}

/** Waits until `count` member blocks show and none is still connecting. */
export async function meshed(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (count) => document.querySelectorAll('section[aria-label^="Member "]').length === count && !document.body.textContent?.includes('Connecting…'),
    count,
    { timeout: 60_000, polling: 200 },
  );
}

/** Adds the OPFS folder `folder` through the real "Add directory" button of this page's own member block. */
export async function addDirectory(page: Page, letter: string, folder: string, code: string): Promise<void> {
  await page.evaluate((f) => (window as unknown as CloudWindow).__quintetPicks.push(f), folder);
  const block = page.getByRole('region', { name: `Member ${letter}` });
  await block.getByRole('button', { name: 'Add directory' }).click();
  await block.getByText(code, { exact: true }).waitFor({ timeout: 30_000 });
}

/** Records every phase change of the cloud session with a wall-clock time (comparable across pages). */
export async function recordPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as CloudWindow;
    w.__benchPhases = [];
    w.__quintetCloud?.session.on('phase.changed', (phase) => w.__benchPhases!.push({ phase: String(phase), at: performance.timeOrigin + performance.now() }));
  });
}

/** The wall-clock time at which this page's session first entered `phase`, or undefined. */
export function phaseAt(page: Page, phase: string): Promise<number | undefined> {
  return page.evaluate((phase) => (window as unknown as CloudWindow).__benchPhases?.find((p) => p.phase === phase)?.at, phase);
}

/** Folders are picked read-only: a member that will be written to allows writing to each of its folders ("Allow writing to B1"), as its user would. */
export async function allowWriting(page: Page): Promise<void> {
  await page.locator('section.run[data-write-checked="true"]').waitFor({ timeout: 60_000 });
  for (const name of await page.getByRole('button', { name: /^Allow writing to / }).allTextContents()) {
    await page.getByRole('button', { name, exact: true }).click();
    await page.getByRole('button', { name, exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
  }
}

/** Records, with a wall-clock time, each other member's run result as it reaches this page. */
export async function recordResults(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as CloudWindow;
    w.__benchResults = [];
    w.__quintetCloud?.run.on('result', (member) => {
      if (member !== w.__quintetCloud?.session.self) w.__benchResults!.push({ member, at: performance.timeOrigin + performance.now() });
    });
  });
}

/** When the first other member's result reached the page (after recordResults), waiting up to `timeoutMs`. */
export async function firstResultAt(page: Page, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(() => (window as unknown as CloudWindow).__benchResults?.[0]?.at, undefined, { timeout: timeoutMs, polling: 100 });
  return (await handle.jsonValue()) as number;
}
