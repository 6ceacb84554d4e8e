/** Issue 9, finding 13 in a Cloud Session: folders are picked read-only; B's folder without write is skipped with its reason on every page, B allows it and the re-run completes. */
import { test, expect, type Page } from '@playwright/test';
import { join, meshed, newMember, startSession } from './support/cloud-members.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { addFolder, inventory, synchronize } from './support/cloud-run.ts';

const asked = (page: Page) => page.evaluate(() => [...(window as unknown as { __quintetAsked: string[] }).__quintetAsked]);

test('B’s folder without write: B’s items are skipped with reason “permission” on every page; B clicks Allow writing to B1 and the re-run completes', async ({ browser }) => {
  test.setTimeout(240_000);
  const [ma, mb] = [await newMember(browser, { name: 'alpha' }), await newMember(browser, { name: 'bravo' })];
  const [a, b] = [ma.page, mb.page];
  const { id, password } = await startSession(a);
  await join(b, id, password, 'B');
  for (const p of [a, b]) await meshed(p, 2);
  await writeTree(a, 'pa', { 'x.txt': { text: 'from A' }, 'docs/y.txt': { text: 'deep' } });
  await writeTree(b, 'pb', { 'old.txt': { text: 'stays until allowed' } });
  await addFolder(a, 'A', 'pa');
  await addFolder(b, 'B', 'pb');
  await expect(a.getByRole('region', { name: 'Member B' })).toContainText('B1');
  expect(await asked(b)).toEqual([]); // picking and inventory ask nothing more than read

  // B leaves "Allow writing to B1" unclicked: B1 is read-only when the sync starts.
  await inventory(a, [a, b], { allowWrite: false });
  await expect(b.getByRole('button', { name: 'Allow writing to B1' })).toBeVisible();
  await expect(a.getByRole('button', { name: /^Allow writing to / })).toHaveCount(0); // only B may grant B's folder
  const first = await synchronize(a, [a, b], 'mirror', 'A1', 'B1');
  expect(first).toEqual(['Synchronization finished with 4 skipped', 'Synchronization finished with 4 skipped']);
  for (const page of [a, b]) {
    const status = page.getByRole('status');
    await expect(status).toContainText('B: 0 done, 0 failed, 4 skipped');
    await expect(status.getByRole('alert')).toContainText('Chrome did not give Quintet permission to write to B1');
    await expect(status.getByRole('alert')).toContainText('clicks “Allow writing to …” on its page');
    const row = page.getByRole('table', { name: 'Comparison' }).getByRole('row', { name: /x\.txt/ });
    await expect(row).toContainText('Skipped: no permission to write on B1');
  }
  expect(Object.keys((await readTree(b, 'pb')).files)).toEqual(['old.txt']); // nothing written, nothing versioned or staged
  expect(await asked(b)).toEqual([]); // the sync itself never prompts: no click of B's started it

  // B grants it within its click; A runs again and it completes.
  await b.getByRole('button', { name: 'Allow writing to B1' }).click();
  await expect(b.getByRole('button', { name: 'Allow writing to B1' })).toHaveCount(0);
  expect(await asked(b)).toEqual(['pb']);
  await inventory(a, [a, b], { allowWrite: false });
  await expect(b.getByRole('button', { name: /^Allow writing to / })).toHaveCount(0);
  expect(await synchronize(a, [a, b], 'mirror', 'A1', 'B1')).toEqual(['Synchronization complete', 'Synchronization complete']);
  const [ta, tb] = [await readTree(a, 'pa', { skip: '.quintet' }), await readTree(b, 'pb', { skip: '.quintet' })];
  expect(tb.files).toEqual(ta.files);
  for (const m of [ma, mb]) await m.context.close();
});
