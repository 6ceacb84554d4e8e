/** e2e helpers for Cloud sessions: one browser context per member, start/join through the real buttons. */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { installOpfsPickers } from './opfs-pickers.ts';

/** One member: its own context (own storage, own OPFS) and page. */
export interface Member {
  context: BrowserContext;
  page: Page;
}

/**
 * A fresh member on `baseURL` (the config's by default), with OPFS pickers and, if asked, relay-only ICE or `lanes`
 * extra peer connections opened to each peer at once (the page's test knob, web/src/state/cloud-session.svelte.ts).
 */
export async function newMember(browser: Browser, options: { baseURL?: string; relayOnly?: boolean; name?: string; lanes?: number } = {}): Promise<Member> {
  const context = await browser.newContext({ ...(options.baseURL ? { baseURL: options.baseURL } : {}), permissions: ['clipboard-read', 'clipboard-write'] });
  await context.addInitScript(installOpfsPickers);
  await context.addInitScript(({ relay, name, lanes }) => {
    if (relay) localStorage.setItem('quintet.iceTransportPolicy', 'relay');
    if (name) localStorage.setItem('quintet.deviceName', name);
    if (lanes !== null) localStorage.setItem('quintet.testLanes', String(lanes));
    localStorage.setItem('quintet.lang', 'en');
  }, { relay: options.relayOnly ?? false, name: options.name ?? '', lanes: options.lanes ?? null });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error));
  return { context, page };
}

/** Home → Cloud synchronization → Start cloud session; returns the session ID and password shown in the details. */
export async function startSession(page: Page): Promise<{ id: string; password: string }> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Cloud synchronization' }).click();
  await page.getByRole('button', { name: 'Start cloud session' }).click();
  const id = page.getByRole('textbox', { name: 'Session ID' });
  await expect(id).toHaveValue(/^\d{3}-[A-Z]{3}-\d{3}$/);
  await expect(id).not.toBeEditable();
  const password = await page.getByRole('textbox', { name: 'Session password' }).inputValue();
  return { id: await id.inputValue(), password };
}

/** Home → Cloud synchronization → Join cloud session, fills the form and submits it (does not wait for the outcome). */
export async function submitJoin(page: Page, id: string, password: string): Promise<void> {
  if (!(await page.getByRole('textbox', { name: 'Session ID' }).isVisible())) {
    await page.goto('/');
    await page.getByRole('button', { name: 'Cloud synchronization' }).click();
    await page.getByRole('button', { name: 'Join cloud session' }).click();
  }
  await page.getByRole('textbox', { name: 'Session ID' }).fill(id);
  await page.getByRole('textbox', { name: 'Session password' }).fill(password);
  await page.getByRole('button', { name: 'Join cloud session' }).click();
}

/** Joins and waits until this page shows its own block under `letter` and every block connected. */
export async function join(page: Page, id: string, password: string, letter: string): Promise<void> {
  await submitJoin(page, id, password);
  await expect(page.getByRole('region', { name: `Member ${letter}` })).toContainText('This computer', { timeout: 60_000 });
}

/** The letters of the member blocks this page shows, in order, with * on its own. */
export async function letters(page: Page): Promise<string[]> {
  const blocks = page.getByRole('region', { name: /^Member [A-E]$/ });
  const out: string[] = [];
  for (const block of await blocks.all()) {
    const name = (await block.getAttribute('aria-label')) ?? '';
    out.push(name.slice(-1) + ((await block.textContent())?.includes('This computer') ? '*' : ''));
  }
  return out;
}

/** Waits until every member block on the page shows a connected status (channel open). */
export async function meshed(page: Page, count: number): Promise<void> {
  await expect(page.getByRole('region', { name: /^Member [A-E]$/ })).toHaveCount(count, { timeout: 60_000 });
  await expect(page.getByText('Connecting…')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByText('Reconnecting…')).toHaveCount(0, { timeout: 60_000 });
}

/** Three members (alpha, bravo, charlie) in their own contexts: A starts a session, B and C join it, all meshed. */
export async function threeMembers(browser: Browser): Promise<{ members: Member[]; a: Page; b: Page; c: Page }> {
  const members = [await newMember(browser, { name: 'alpha' }), await newMember(browser, { name: 'bravo' }), await newMember(browser, { name: 'charlie' })];
  const [a, b, c] = members.map((m) => m.page) as [Page, Page, Page];
  const { id, password } = await startSession(a);
  await join(b, id, password, 'B');
  await join(c, id, password, 'C');
  for (const p of [a, b, c]) await meshed(p, 3);
  return { members, a, b, c };
}

/** This user answers "allow editing" when picking: the page's next folder picks are granted readwrite (as Chrome's prompt does). */
export async function pickWritable(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { showDirectoryPicker(o?: { mode?: string }): Promise<unknown> };
    const pick = w.showDirectoryPicker.bind(w);
    w.showDirectoryPicker = (o) => pick({ ...o, mode: 'readwrite' });
  });
}
