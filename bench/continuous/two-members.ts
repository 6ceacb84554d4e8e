/** The two members every continuous browser bench starts from: one Cloud Session, meshed, each page's OPFS folder added. */
import type { Page } from '@playwright/test';
import { addDirectory, joinSession, meshed, startSession } from '../transfer/quintet-ui.ts';

/** A leads a session at `urls[0]`, B joins at `urls[1]`; A1 and B1 added, and A's page shows B's folder. */
export async function twoMembers(a: Page, b: Page, urls: readonly [string, string]): Promise<void> {
  const { id, password } = await startSession(a, urls[0]);
  await joinSession(b, urls[1], id, password, 'B');
  for (const p of [a, b]) await meshed(p, 2);
  await addDirectory(a, 'A', 'a1', 'A1');
  await addDirectory(b, 'B', 'b1', 'B1');
  await a.getByRole('region', { name: 'Member B' }).getByText('B1', { exact: true }).waitFor({ timeout: 60_000 });
}
