/** Issue 6: B's page closed mid-transfer at random points, several times → no partial or corrupt file in B; the re-run completes. */
import { test, expect, type Page } from '@playwright/test';
import { join, meshed, newMember, startSession } from './support/cloud-members.ts';
import { readTree, writeTree, type TreeSpec } from './support/opfs-tree.ts';
import { addFolder, inventory, synchronize, transferStats } from './support/cloud-run.ts';

test('closing B mid-transfer, three times at random points: nothing partial in B, then the re-run completes', async ({ browser }) => {
  test.setTimeout(420_000);
  const seed = Number(process.env.QUINTET_FAULT_SEED ?? Date.now() % 100_000);
  let x = seed || 1;
  const rand = () => ((x = (x * 48271) % 2147483647) / 2147483647);
  console.log(`[fault] seed ${seed}`);
  const ma = await newMember(browser, { name: 'alpha' });
  const mb = await newMember(browser, { name: 'bravo' });
  const a = ma.page;
  const { id, password } = await startSession(a);
  // Every departure gives the session a new password (issue 9): B rejoins with the one A shows now.
  let current = password;
  const passwordField = a.getByRole('textbox', { name: 'Session password' });
  const spec: TreeSpec = {};
  for (let i = 0; i < 24; i++) spec[`set${i % 3}/file-${i}.bin`] = { size: 1_000_000 + i * 97_000, seed: 100 + i };
  await writeTree(a, 'fa', spec);
  await addFolder(a, 'A', 'fa');

  const enter = async (): Promise<Page> => {
    const b = await mb.context.newPage();
    await join(b, id, current, 'B');
    await meshed(b, 2);
    await meshed(a, 2);
    await addFolder(b, 'B', 'fb');
    await expect(a.getByRole('region', { name: 'Member B' })).toContainText('B1');
    return b;
  };
  await writeTree(mb.page, 'fb', {});
  await mb.page.close();

  for (let round = 0; round < 3; round++) {
    // A late close in an earlier round may have left B whole: a new file in A each round keeps every plan non-empty.
    if (round > 0) await writeTree(a, 'fa', { [`round${round}/extra.bin`]: { size: 4_000_000, seed: 500 + round } });
    const b = await enter();
    await inventory(a, [a, b]);
    await a.getByLabel('Preset').selectOption('mirror');
    await a.getByRole('button', { name: 'Apply preset' }).click();
    await a.getByRole('button', { name: 'Start synchronization' }).click();
    await a.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
    const wait = 300 + Math.floor(rand() * 2500);
    await b.waitForTimeout(wait);
    const pulled = (await transferStats(b)).counters.pulledBytes;
    await b.close(); // the tab closes: no goodbye, the channel and the signaling socket just drop
    await expect(a.getByRole('region', { name: 'Member B' })).toHaveCount(0, { timeout: 60_000 });
    await expect(passwordField).not.toHaveValue(current, { timeout: 60_000 });
    current = await passwordField.inputValue();
    // Whatever B holds is whole and right: a file is either absent or exactly A's.
    const check = await mb.context.newPage();
    await check.goto('/');
    const held = await readTree(check, 'fb', { skip: '.quintet' });
    await check.close();
    const ofA = await readTree(a, 'fa', { skip: '.quintet' });
    for (const [path, hash] of Object.entries(held.files)) expect(hash, path).toBe(ofA.files[path]);
    console.log(`[fault] round ${round}: closed after ${wait} ms (${pulled} bytes pulled); B holds ${Object.keys(held.files).length}/${Object.keys(ofA.files).length} files, all whole`);
  }

  // The last round may have left B whole already (a late close): one more file in A keeps the final run from being empty.
  await writeTree(a, 'fa', { 'late/extra.bin': { size: 700_000, seed: 999 } });
  const final = await readTree(a, 'fa', { skip: '.quintet' });
  const b = await enter();
  await inventory(a, [a, b]);
  expect(await synchronize(a, [a, b], 'mirror', 'A1', 'B1')).toEqual(['Synchronization complete', 'Synchronization complete']);
  expect((await readTree(b, 'fb', { skip: '.quintet' })).files).toEqual(final.files);
  const total = Object.values(spec).reduce((n, f) => n + (f && 'size' in f ? f.size : 0), 0);
  const last = (await transferStats(b)).counters;
  console.log(`[fault] final run pulled ${last.pulledBytes} of ${total} bytes (the rest was already whole in B)`);
  await ma.context.close();
  await mb.context.close();
});
