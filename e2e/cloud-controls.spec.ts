/** Issue 6 in the cloud page: the leader's settings, rules, targeted actions and plan reach every member; A stops a transfer and the re-run completes. */
import { test, expect, type Page } from '@playwright/test';
import { threeMembers } from './support/cloud-members.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { addFolder, addFoldersOfThree, inventory, transferStats } from './support/cloud-run.ts';

/** A adds a rule in the editor: when `source` exists, copy A1 to `to`. */
async function addRule(a: Page, to: string): Promise<void> {
  await a.getByRole('button', { name: 'Add rule' }).click();
  const editor = a.getByRole('dialog');
  await editor.getByRole('button', { name: 'Add condition' }).click();
  await editor.getByLabel('On', { exact: true }).selectOption('presence');
  await editor.getByLabel('Action', { exact: true }).selectOption('copy');
  await editor.getByLabel('Write to', { exact: true }).selectOption(to);
  await editor.getByRole('button', { name: 'Save rule' }).click();
}

/** A confirms the plan; returns every page's result heading once it shows one. */
async function run(a: Page, pages: Page[], heading: RegExp, timeout = 170_000): Promise<string[]> {
  await a.getByRole('button', { name: 'Start synchronization' }).click();
  await a.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
  const out: string[] = [];
  for (const page of pages) {
    const h = page.getByRole('heading', { name: heading });
    await expect(h).toBeVisible({ timeout });
    out.push((await h.textContent()) ?? '');
  }
  return out;
}

/** The comparison's body rows as text: path, each source's content group and size, status, planned actions. */
const rowsOf = async (page: Page) => (await page.getByRole('table', { name: 'Comparison' }).getByRole('row').filter({ has: page.getByRole('rowheader') }).allTextContents());

test('A’s settings shape every inventory; A’s rule and targeted action make one plan shown on every page; checked file by file', async ({ browser }) => {
  const { members, a, b, c } = await threeMembers(browser);
  await writeTree(a, 'a1', { 'keep.txt': { text: 'keep' }, 'debug.log': { text: 'noise on A' }, 'big.bin': { size: 300_000, seed: 1 } });
  await writeTree(b, 'b1', { 'keep.txt': { text: 'keep' }, 'b.log': { text: 'noise on B' }, 'only-b.txt': { text: 'from B' } });
  await writeTree(c, 'c1', { 'keep.txt': { text: 'keep' }, 'c.log': { text: 'noise on C' } });
  await addFolder(a, 'A', 'a1');
  await addFolder(b, 'B', 'b1');
  await addFolder(c, 'C', 'c1');
  for (const p of [a, b, c]) await expect(p.getByRole('region', { name: 'Member C' })).toContainText('C1');

  // Settings: A changes them; B and C see them, read-only, and inventory with them.
  for (const label of ['Analysis mode', 'Data type', 'Matching', 'Case sensitive', 'Exclude hidden files', 'Exclude system files', 'Exclusion patterns']) {
    await expect(a.getByLabel(label, { exact: true })).toBeEnabled();
  }
  await a.getByLabel('Exclusion patterns').fill('*.log');
  await a.getByLabel('Exclusion patterns').blur();
  await a.getByLabel('Analysis mode').selectOption('checksum');
  for (const p of [b, c]) {
    await expect(p.getByLabel('Exclusion patterns')).toHaveValue('*.log');
    await expect(p.getByLabel('Exclusion patterns')).toBeDisabled();
    await expect(p.getByLabel('Analysis mode')).toHaveValue('checksum');
    await expect(p.getByLabel('Analysis mode')).toBeDisabled();
  }
  await inventory(a, [a, b, c]);
  for (const p of [a, b, c]) {
    const paths = await p.getByRole('table', { name: 'Comparison' }).getByRole('rowheader').allTextContents();
    expect(paths.sort()).toEqual(['big.bin', 'keep.txt', 'only-b.txt']); // no *.log from any member
  }
  // Only A plans: B and C have no rule editor, no row checkboxes, no targeted action.
  for (const p of [b, c]) {
    await expect(p.getByRole('button', { name: 'Add rule' })).toHaveCount(0);
    await expect(p.getByLabel('Targeted action')).toHaveCount(0);
    await expect(p.getByRole('checkbox', { name: 'Select only-b.txt' })).toHaveCount(0);
  }

  // A rule (A1 → B1 where A1 has the file) and a targeted action on a ticked row (only-b.txt from B1 to A1 and C1).
  await addRule(a, 'B1');
  await a.getByRole('checkbox', { name: 'Select only-b.txt' }).check();
  await a.getByLabel('Targeted action').selectOption({ label: 'Copy from B1' });
  await a.getByRole('button', { name: 'Apply to selected items' }).click();
  const summary = a.getByText(/^Files to copy: /);
  await expect(summary).toHaveText(/^Files to copy: 3 /); // big.bin to B1 (keep.txt is the same everywhere), only-b.txt to A1 and C1
  expect(await run(a, [a, b, c], /^Synchronization (complete|finished with (\d+ errors?( and \d+ skipped)?|\d+ skipped))$/)).toEqual(Array(3).fill('Synchronization complete'));

  // Every page shows the same plan summary, and then the same grid, fresh: what the run left, no action over it
  // (only-b.txt was on B1 only and is now the same everywhere).
  await expect(a.getByRole('table', { name: 'Comparison' }).getByRole('row').filter({ hasText: 'only-b.txt' })).toContainText('Identical');
  const shown = await rowsOf(a);
  expect(shown.join('\n')).not.toContain('→');
  for (const p of [b, c]) {
    await expect.poll(() => rowsOf(p)).toEqual(shown);
    await expect(p.getByText(/^Files to copy: /)).toHaveText((await summary.textContent()) ?? '');
  }
  const [ta, tb, tc] = [await readTree(a, 'a1', { skip: '.quintet' }), await readTree(b, 'b1', { skip: '.quintet' }), await readTree(c, 'c1', { skip: '.quintet' })];
  expect(Object.keys(ta.files).sort()).toEqual(['big.bin', 'debug.log', 'keep.txt', 'only-b.txt']);
  expect(Object.keys(tb.files).sort()).toEqual(['b.log', 'big.bin', 'keep.txt', 'only-b.txt']);
  expect(Object.keys(tc.files).sort()).toEqual(['c.log', 'keep.txt', 'only-b.txt']);
  expect(tb.files['big.bin']).toBe(ta.files['big.bin']);
  expect(ta.files['only-b.txt']).toBe(tb.files['only-b.txt']);
  expect(tc.files['only-b.txt']).toBe(tb.files['only-b.txt']);
  expect(tb.files['b.log']).not.toBe(ta.files['debug.log']); // excluded files stay as they were
  for (const m of members) await m.context.close();
});

test('A stops a large transfer mid-way: every member reports it stopped, nothing partial anywhere; the re-run completes byte for byte', async ({ browser }) => {
  test.setTimeout(420_000);
  const { members, a, b, c } = await threeMembers(browser);
  const spec: Record<string, { size: number; seed: number }> = {};
  for (let i = 0; i < 8; i++) spec[`big-${i}.bin`] = { size: 6_000_000 + i * 131_000, seed: 50 + i };
  await addFoldersOfThree([a, b, c], [['sa', spec], ['sb', {}], ['sc', {}]]);
  await inventory(a, [a, b, c]);
  await addRule(a, 'B1');
  await addRule(a, 'C1');
  await expect(a.getByText(/^Files to copy: 16 /)).toBeVisible();

  await a.getByRole('button', { name: 'Start synchronization' }).click();
  await a.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
  await expect.poll(async () => (await transferStats(b)).counters.pulledBytes, { timeout: 120_000, intervals: [50] }).toBeGreaterThan(4_000_000);
  await expect(b.getByRole('button', { name: 'Stop synchronization' })).toHaveCount(0); // leader only
  await a.getByRole('button', { name: 'Stop synchronization' }).click();
  for (const p of [a, b, c]) await expect(p.getByRole('heading', { name: 'Synchronization stopped' })).toBeVisible({ timeout: 60_000 });

  const source = await readTree(a, 'sa', { skip: '.quintet' });
  let held = 0;
  for (const [page, root] of [[b, 'sb'], [c, 'sc']] as const) {
    const tree = await readTree(page, root, { skip: '.quintet' });
    for (const [path, hash] of Object.entries(tree.files)) expect(hash, `${root}/${path}`).toBe(source.files[path]);
    // Staged bytes are removed when a writer aborts: nothing left in .quintet/tmp either.
    const staged = await readTree(page, `${root}/.quintet`).catch(() => ({ files: {} }));
    expect(Object.keys(staged.files).filter((p) => p.startsWith('tmp/'))).toEqual([]);
    held += Object.keys(tree.files).length;
  }
  expect(held).toBeLessThan(16); // it did stop mid-way

  // The re-run: A's rules are still there; the plan copies only what is missing.
  await inventory(a, [a, b, c]);
  await a.getByRole('button', { name: 'Apply rules' }).click();
  await expect(a.getByText(new RegExp(`^Files to copy: ${16 - held} `))).toBeVisible();
  expect(await run(a, [a, b, c], /^Synchronization (complete|finished with (\d+ errors?( and \d+ skipped)?|\d+ skipped)|stopped)$/)).toEqual(Array(3).fill('Synchronization complete'));
  expect((await readTree(b, 'sb', { skip: '.quintet' })).files).toEqual(source.files);
  expect((await readTree(c, 'sc', { skip: '.quintet' })).files).toEqual(source.files);
  for (const m of members) await m.context.close();
});
