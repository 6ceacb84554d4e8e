/** Issue 15: the conflict centre in a three-member cloud session (three conflicts resolved in one run, one of each choice) and the leader's "Undo last run". */
import { createHash } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from '@playwright/test';
import { join, meshed, newMember, startSession, type Member } from './support/cloud-members.ts';
import { readTree, writeTree, type TreeSnapshot } from './support/opfs-tree.ts';
import { addFolder, inventory, synchronize } from './support/cloud-run.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function three(browser: Parameters<typeof newMember>[0]): Promise<{ members: Member[]; pages: [Page, Page, Page] }> {
  const members = [await newMember(browser, { name: 'alpha' }), await newMember(browser, { name: 'bravo' }), await newMember(browser, { name: 'charlie' })];
  const pages = members.map((m) => m.page) as [Page, Page, Page];
  const [a, b, c] = pages;
  const { id, password } = await startSession(a);
  await join(b, id, password, 'B');
  await join(c, id, password, 'C');
  for (const p of pages) await meshed(p, 3);
  return { members, pages };
}

/** The files of a folder outside `.quintet`, and the hashes of everything kept under its versions. */
async function folder(page: Page, root: string): Promise<{ files: Record<string, string>; versions: string[] }> {
  const all: TreeSnapshot = await readTree(page, root);
  const files = Object.fromEntries(Object.entries(all.files).filter(([p]) => !p.startsWith('.quintet/')));
  const versions = Object.entries(all.files).filter(([p]) => p.startsWith('.quintet/versions/')).map(([, h]) => h);
  return { files, versions };
}

/** Fails on any serious or critical axe violation (WCAG 2.1 A and AA) of the page as it is. */
async function axeClean(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
}

test('three conflicts from Two-way edits on A and B, resolved by A in one run (one of each choice): every folder shows it, the discarded sides in versions', async ({ browser }) => {
  const { members, pages } = await three(browser);
  const [a, b, c] = pages;
  await writeTree(a, 'a1', { 'x.txt': { text: 'x as it was\n' }, 'docs/y.txt': { text: 'y as it was\n' }, 'z.txt': { text: 'z as it was\n' } });
  await writeTree(b, 'b1', {});
  await writeTree(c, 'c1', {});
  await addFolder(a, 'A', 'a1');
  await addFolder(b, 'B', 'b1');
  await addFolder(c, 'C', 'c1');
  for (const p of pages) await expect(p.getByRole('region', { name: 'Member C' })).toContainText('C1');
  await inventory(a, pages);
  expect(await synchronize(a, pages, 'two-way')).toEqual(Array(3).fill('Synchronization complete'));

  // The same three files edited on A, then on B (newer: B's win, A's become conflict copies everywhere).
  const text = (who: string, f: string) => `${f} edited on ${who}\nsecond line\n`;
  await writeTree(a, 'a1', { 'x.txt': { text: text('A', 'x') }, 'docs/y.txt': { text: text('A', 'y') }, 'z.txt': { text: text('A', 'z') } });
  await new Promise((r) => setTimeout(r, 1100)); // B's edits are newer by their mtime (seconds on some file systems)
  await writeTree(b, 'b1', { 'x.txt': { text: text('B', 'x') }, 'docs/y.txt': { text: text('B', 'y') }, 'z.txt': { text: text('B', 'z') } });
  await inventory(a, pages);
  expect(await synchronize(a, pages, 'two-way')).toEqual(Array(3).fill('Synchronization complete'));
  const conflicted = await folder(c, 'c1');
  const copies = Object.keys(conflicted.files).filter((p) => p.includes('.conflict-A1-')).sort();
  expect(copies).toHaveLength(3);

  // Every member sees the list; only A chooses.
  await inventory(a, pages);
  for (const p of pages) {
    await p.getByRole('button', { name: 'Conflicts', exact: true }).click();
    await expect(p.getByRole('table', { name: 'Conflicts' }).getByRole('row')).toHaveCount(4);
  }
  await expect(b.getByRole('button', { name: 'Keep this' })).toHaveCount(0);
  const xCopy = copies.find((p) => p.startsWith('x.')) as string;
  const yCopy = copies.find((p) => p.startsWith('docs/y.')) as string;
  const zCopy = copies.find((p) => p.startsWith('z.')) as string;

  // Side by side on A, by keyboard: sizes, member, the text diff.
  await a.getByRole('button', { name: `Compare ${xCopy}` }).focus();
  await a.keyboard.press('Enter');
  const detail = a.getByRole('region', { name: 'Side by side: x.txt' });
  await expect(detail).toContainText('This: the conflict copy');
  await expect(detail.locator('ins')).toHaveText(text('A', 'x').split('\n')[0] + '\n');
  await expect(detail.locator('del')).toHaveText(text('B', 'x').split('\n')[0] + '\n');
  const download = a.waitForEvent('download');
  await detail.getByRole('button', { name: 'Open this' }).click();
  expect((await download).suggestedFilename()).toBe(xCopy);
  await axeClean(a);
  await axeClean(b);

  for (const [copy, button] of [[xCopy, 'Keep this'], [yCopy, 'Keep the other'], [zCopy, 'Keep both']] as const) {
    await a.getByRole('table', { name: 'Conflicts' }).getByRole('checkbox', { name: `Select ${copy}` }).check();
    await a.getByRole('button', { name: button, exact: true }).click();
  }
  await a.getByRole('button', { name: 'Start synchronization' }).click();
  await a.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
  for (const p of pages) await expect(p.getByRole('heading', { name: 'Synchronization complete' })).toBeVisible({ timeout: 170_000 });

  const keptZ = `z (A1 ${/conflict-A1-(\d{8}-\d{6})/.exec(zCopy)?.[1]}).txt`;
  for (const [p, root] of [[a, 'a1'], [b, 'b1'], [c, 'c1']] as const) {
    const { files, versions } = await folder(p, root);
    expect(files, root).toEqual({
      'x.txt': sha(text('A', 'x')), // keep this: the copy's content at the original's path
      'docs/y.txt': sha(text('B', 'y')), // keep the other: the original stays
      'z.txt': sha(text('B', 'z')), [keptZ]: sha(text('A', 'z')), // keep both: the copy renamed
    });
    // The discarded sides are kept: B's x (replaced) and A's y (the deleted conflict copy).
    expect(versions).toEqual(expect.arrayContaining([sha(text('B', 'x')), sha(text('A', 'y'))]));
  }
  for (const m of members) await m.context.close();
});

test('the leader undoes the last run (a Mirror that replaced, deleted and created on C); every member reports, each folder checked', async ({ browser }) => {
  const { members, pages } = await three(browser);
  const [a, b, c] = pages;
  await writeTree(a, 'a1', { 'r.txt': { text: 'r from A' }, 'n.txt': { text: 'new on A' }, 'new/a.txt': { text: 'in a new folder' } });
  await writeTree(b, 'b1', { 'r.txt': { text: 'r on B' } });
  await writeTree(c, 'c1', { 'r.txt': { text: 'r on C' }, 'd.txt': { text: 'only on C' }, 'old/o.txt': { text: 'old folder' } });
  await addFolder(a, 'A', 'a1');
  await addFolder(b, 'B', 'b1');
  await addFolder(c, 'C', 'c1');
  for (const p of pages) await expect(p.getByRole('region', { name: 'Member C' })).toContainText('C1');
  const before = { a: await folder(a, 'a1'), c: await folder(c, 'c1') };
  await inventory(a, pages);
  await synchronize(a, pages, 'mirror', 'A1', 'B1');
  const bMirrored = await folder(b, 'b1');
  await inventory(a, pages);
  expect(await synchronize(a, pages, 'mirror', 'A1', 'C1')).toEqual(Array(3).fill('Synchronization complete'));
  expect((await folder(c, 'c1')).files).toEqual(before.a.files);

  await expect(b.getByRole('button', { name: 'Undo last run' })).toHaveCount(0); // only A orders it
  await a.getByRole('button', { name: 'Undo last run' }).click();
  for (const p of pages) {
    const outcome = p.getByRole('status').filter({ hasText: 'Undo of the last run' });
    await expect(outcome).toContainText('C: 3 put back, 3 removed, 0 left alone', { timeout: 60_000 });
    await expect(outcome).toContainText('A: 0 put back, 0 removed, 0 left alone');
    await expect(outcome).toContainText('B: 0 put back, 0 removed, 0 left alone');
  }
  expect((await folder(c, 'c1')).files).toEqual(before.c.files); // r.txt and d.txt and old/ back, n.txt and new/ gone
  expect((await folder(b, 'b1')).files).toEqual(bMirrored.files); // B's earlier mirror was not the last run
  expect((await folder(a, 'a1')).files).toEqual(before.a.files);
  // What the undo removed is kept, not deleted: C's versions hold the files the Mirror had created.
  expect((await folder(c, 'c1')).versions).toEqual(expect.arrayContaining([sha('new on A'), sha('in a new folder')]));
  await axeClean(a);
  for (const m of members) await m.context.close();
});

test('10,000 conflict copies: the list is windowed, scrolls to its end, filters, and a bulk choice by keyboard plans them all', async ({ browser }) => {
  test.setTimeout(360_000); // writing and inventorying 10,000 files takes most of it; 3× what a loaded machine needs
  const m = await newMember(browser, { name: 'alpha' });
  const a = m.page;
  await startSession(a);
  const spec: Record<string, { text: string }> = {};
  for (let i = 0; i < 10_000; i++) spec[`f${i}.conflict-B1-20240115-120000.txt`] = { text: `copy ${i}` };
  await writeTree(a, 'big', spec);
  await addFolder(a, 'A', 'big');
  await inventory(a, [a]);
  await a.getByRole('button', { name: 'Conflicts', exact: true }).click();
  const table = a.getByRole('table', { name: 'Conflicts' });
  await expect(table).toHaveAttribute('aria-rowcount', '10001');
  expect(await table.getByRole('row').count()).toBeLessThan(100); // only the window is in the page
  await table.locator('xpath=..').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(table.getByRole('button', { name: 'Compare f9999.conflict-B1-20240115-120000.txt' })).toBeVisible();
  await a.getByLabel('Filter by path').fill('f4242.');
  await expect(table.getByRole('row')).toHaveCount(2);
  await a.getByLabel('Filter by path').fill('');
  await table.getByRole('checkbox', { name: 'Select all shown' }).focus();
  await a.keyboard.press('Space');
  await expect(a.getByText(/^10,?000 selected$/)).toBeVisible();
  await a.getByRole('button', { name: 'Keep both', exact: true }).focus();
  await a.keyboard.press('Enter');
  // Keep both for a copy with no original: each is renamed, as 10,000 copies and 10,000 deletes in one plan.
  await expect(a.getByRole('region', { name: 'Synchronization actions' })).toContainText(/Files to copy: 10,?000 .*deletions: 10,?000/);
  await m.context.close();
});
