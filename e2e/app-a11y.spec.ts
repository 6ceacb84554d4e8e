/** Accessibility: axe-core finds no serious or critical violation on the main screens, in the light and the dark theme; the theme switch sticks; focus is visible. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, inventory, openLocalSession, pick } from './support/fixtures.ts';
import { writeTree, type TreeSpec } from './support/opfs-tree.ts';
import { chooseMirror } from './support/mirror-preset.ts';
import { threeMembers } from './support/cloud-members.ts';
import { addFolder, inventory as cloudInventory, synchronize } from './support/cloud-run.ts';

/** Runs axe (WCAG 2.1 A and AA) on the page as it is and fails on any serious or critical violation, naming each. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(grave, `axe on "${screen}"`).toEqual([]);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('local screens: home, empty session, settings, comparison, rule editor, confirmation, result', async ({ page }) => {
      await page.goto('/');
      await writeTree(page, 'a11y-src', { 'docs/report.txt': { text: 'final\n' }, 'photo.jpg': { size: 20_000, seed: 1 }, 'only-here.txt': { text: 'x\n' } });
      await writeTree(page, 'a11y-dst', { 'docs/report.txt': { text: 'draft\n' }, 'stale.txt': { text: 'old\n' } });
      await expect(page.getByRole('button', { name: 'Local synchronization' })).toBeVisible();
      await expectAccessible(page, 'home');

      await page.getByRole('button', { name: 'Local synchronization' }).click();
      await expect(page.getByRole('region', { name: 'Member A' })).toBeVisible();
      await expectAccessible(page, 'local, empty (settings open)');

      await pick(page, 'Add directory', 'a11y-src');
      await pick(page, 'Add directory', 'a11y-dst');
      await expect(page.getByRole('region', { name: 'Member A' }).getByText('A2', { exact: true })).toBeVisible();
      await inventory(page);
      await expectAccessible(page, 'local, with comparison');

      await page.getByRole('button', { name: 'Add rule' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.getByRole('dialog').getByRole('button', { name: 'Add condition' }).click();
      await expectAccessible(page, 'rule editor');
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);

      await chooseMirror(page, 'A1', 'A2');
      await expect(page.getByRole('dialog')).toBeVisible();
      await expectAccessible(page, 'confirmation');
      await page.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
      await expect(page.getByRole('status').getByRole('heading', { level: 2 })).toHaveText('Synchronization complete', { timeout: 120_000 });
      await expectAccessible(page, 'result');

      // Issue 15: the Versions view with its list, a restore's message, the undo confirmation and its outcome.
      await page.getByRole('button', { name: 'Versions', exact: true }).click();
      await page.getByLabel('Source').selectOption('A2');
      await expect(page.getByRole('table', { name: 'Versions' }).getByRole('row')).toHaveCount(3);
      await expectAccessible(page, 'versions');
      await page.getByRole('table', { name: 'Versions' }).getByRole('button', { name: 'Restore' }).first().click();
      await expect(page.getByRole('status')).toContainText('restored to its version of');
      await expectAccessible(page, 'versions, after a restore');
      await page.getByRole('button', { name: 'Undo last run' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await expectAccessible(page, 'undo confirmation');
      await page.getByRole('dialog').getByRole('button', { name: 'Undo' }).click();
      await expect(page.getByRole('region', { name: /undone on A2/ })).toBeVisible();
      await expectAccessible(page, 'undo outcome');
    });

    test('run screens: history list and detail with its live log, saved profiles, blocked addresses with an error', async ({ page }) => {
      await page.goto('/');
      await writeTree(page, 'a11y-h-src', { 'a.txt': { text: 'a\n' }, 'b.txt': { text: 'b\n' } });
      await writeTree(page, 'a11y-h-dst', {});
      await page.getByRole('button', { name: 'Local synchronization' }).click();
      await pick(page, 'Add directory', 'a11y-h-src');
      await pick(page, 'Add directory', 'a11y-h-dst');
      await expect(page.getByRole('region', { name: 'Member A' }).getByText('A2', { exact: true })).toBeVisible();
      await inventory(page);
      await chooseMirror(page, 'A1', 'A2');
      await page.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
      await expect(page.getByRole('status').getByRole('heading', { level: 2 })).toHaveText('Synchronization complete', { timeout: 120_000 });
      await page.getByRole('button', { name: 'Save as profile' }).click();
      await page.getByRole('textbox', { name: 'Profile name' }).fill('Docs');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.getByText('Profile “Docs” saved.')).toBeVisible();
      await page.getByRole('button', { name: 'History', exact: true }).click();
      await expect(page.getByRole('table').getByRole('row')).toHaveCount(2);
      await expectAccessible(page, 'history list with live log');
      await page.getByRole('button', { name: /^Details of the run of / }).click();
      await expect(page.getByRole('article')).toBeVisible();
      await expectAccessible(page, 'run detail');
      await page.getByRole('button', { name: 'Back to the list' }).click();
      await page.getByRole('button', { name: '← Back', exact: true }).click();
      await page.getByRole('button', { name: '← Back', exact: true }).click();
      await page.getByRole('button', { name: 'Saved profiles' }).click();
      await expect(page.getByRole('heading', { name: 'Docs' })).toBeVisible();
      await expectAccessible(page, 'saved profiles');
      await page.getByRole('button', { name: '← Back', exact: true }).click();
      await page.getByRole('button', { name: 'Blocked addresses' }).click();
      await page.getByLabel('Admin token').fill('wrong');
      await page.getByRole('button', { name: 'Show blocked addresses' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      await expectAccessible(page, 'blocked addresses, wrong token');
    });

    test('progress: a local run while it copies', async ({ page }) => {
      test.setTimeout(300_000);
      await page.goto('/');
      // Enough small files that the run lasts well past one axe pass (each file is staged and moved in place).
      const spec: TreeSpec = {};
      for (let i = 0; i < 4000; i++) spec[`d${i % 40}/f${i}.txt`] = { text: `file ${i}\n` };
      await writeTree(page, 'a11y-p-src', spec);
      await writeTree(page, 'a11y-p-dst', {});
      await openLocalSession(page, ['a11y-p-src', 'a11y-p-dst']);
      await inventory(page);
      await chooseMirror(page, 'A1', 'A2');
      await page.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
      const progress = page.getByRole('group', { name: 'Synchronization progress' });
      await expect(progress).toContainText(/of 4,0\d\d actions/);
      await expectAccessible(page, 'progress');
      // axe read the page while the run was still going, not its result.
      await expect(progress).toBeVisible({ timeout: 1 });
      await expect(page.getByRole('status').getByRole('heading', { level: 2 })).toHaveText('Synchronization complete', { timeout: 240_000 });
    });

    test('cloud: a session of three members and the cloud result', async ({ browser }) => {
      test.setTimeout(300_000);
      const { members, a, b, c } = await threeMembers(browser);
      await writeTree(a, 'a11y-a1', { 'docs/report.txt': { text: 'final\n' }, 'photo.jpg': { size: 20_000, seed: 1 } });
      await writeTree(b, 'a11y-b1', { 'docs/report.txt': { text: 'draft\n' }, 'old.txt': { text: 'old\n' } });
      await writeTree(c, 'a11y-c1', {});
      await addFolder(a, 'A', 'a11y-a1');
      await addFolder(b, 'B', 'a11y-b1');
      await addFolder(c, 'C', 'a11y-c1');
      await expectAccessible(a, 'cloud session of three members, leader, before the inventory');
      await cloudInventory(a, [a, b, c]);
      await expectAccessible(a, 'cloud session of three members, leader, with the comparison');
      await expectAccessible(c, 'cloud session of three members, member C, with the comparison');
      expect(await synchronize(a, [a, b, c], 'mirror', 'A1', 'B1')).toEqual(Array(3).fill('Synchronization complete'));
      await expectAccessible(a, 'cloud result, leader');
      await expectAccessible(b, 'cloud result, member B');
      for (const m of members) await m.context.close();
    });

    test('cloud screens: start and join form', async ({ page }) => {
      await page.goto('/');
      await page.getByRole('button', { name: 'Cloud synchronization' }).click();
      await expect(page.getByRole('button', { name: 'Start cloud session' })).toBeVisible();
      await expectAccessible(page, 'cloud start');
      await page.getByRole('button', { name: 'Join cloud session' }).click();
      await expect(page.getByRole('textbox').first()).toBeVisible();
      await expectAccessible(page, 'join form');
    });

    test('home in French, and a browser without folder pickers', async ({ page }) => {
      await page.addInitScript(() => {
        delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker;
      });
      await page.goto('/');
      await page.getByLabel('Language').selectOption('fr');
      await expect(page.getByRole('heading', { name: 'Ce navigateur ne peut pas ouvrir vos dossiers' })).toBeVisible();
      await expectAccessible(page, 'home without File System Access, French');
    });
  });
}

test.describe('theme switch', () => {
  test.use({ colorScheme: 'light' });

  test('follows the system until switched, then remembers the choice', async ({ page }) => {
    await page.goto('/');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    expect(dark).not.toBe(light);

    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByLabel('Theme').selectOption('dark');
    expect(await background()).toBe(dark);
    await page.reload();
    await expect(page.getByLabel('Theme')).toHaveValue('dark');
    expect(await background()).toBe(dark);
    await page.getByLabel('Theme').selectOption('system');
    expect(await background()).toBe(light);
  });

  test('keyboard focus is visible on the controls', async ({ page }) => {
    await page.goto('/');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { tag: el.tagName, style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      expect(outline.style, `${outline.tag} #${i + 1}`).not.toBe('none');
      expect(outline.width, `${outline.tag} #${i + 1}`).toBeGreaterThanOrEqual(2);
    }
  });
});
