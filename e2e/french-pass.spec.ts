/**
 * The French pass (issue 14): the main screens in a French browser, each checked for English left behind — in the
 * visible text and in what a screen reader reads (aria-label, title, placeholder). "English" is any word the English
 * messages use and the French ones never do, so a hard-coded English string is caught as well as a missing key.
 */
import type { Page } from '@playwright/test';
import { test, expect, pick } from './support/fixtures.ts';
import { writeTree } from './support/opfs-tree.ts';
import { en } from '../web/src/i18n/en.ts';
import { fr } from '../web/src/i18n/fr.ts';

test.use({ locale: 'fr-FR' });

// ICU plural/select syntax and placeholders are not text a user reads.
const wordsOf = (text: string): string[] => text.replace(/\{[^{}]*\}/g, ' ').toLowerCase().match(/\p{L}{3,}/gu) ?? [];
const frWords = new Set(Object.values(fr).flatMap((v) => wordsOf(String(v))));
const ENGLISH_ONLY = new Set(Object.values(en).flatMap((v) => wordsOf(String(v))).filter((w) => !frWords.has(w)));

/** English-only words on the page as it is now, each with the text it was found in. */
async function englishOn(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const out = [document.body.innerText];
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  });
  const found: string[] = [];
  for (const text of texts) for (const line of text.split('\n')) for (const w of wordsOf(line)) if (ENGLISH_ONLY.has(w)) found.push(`${w} — “${line.trim().slice(0, 120)}”`);
  return [...new Set(found)];
}

async function expectFrench(page: Page, screen: string): Promise<void> {
  expect(await englishOn(page), `English left on "${screen}"`).toEqual([]);
}

test('the main screens in French have no English left', async ({ page }) => {
  expect(ENGLISH_ONLY.size).toBeGreaterThan(100); // the check has teeth: "synchronize", "folder", "copy" …
  await page.goto('/');
  // File names without English words: the check reads every word on the page, names included.
  await writeTree(page, 'fr-src', { 'docs/rapport.txt': { text: 'final\n' }, 'photo.jpg': { size: 20_000, seed: 1 }, 'seul.txt': { text: 'x\n' } });
  await writeTree(page, 'fr-dst', { 'docs/rapport.txt': { text: 'brouillon\n' }, 'vieux.txt': { text: 'vieux\n' } });
  await expect(page.getByRole('button', { name: fr['home.local'] })).toBeVisible();
  await expectFrench(page, 'accueil');

  await page.getByRole('button', { name: fr['home.local'] }).click();
  await expect(page.getByRole('button', { name: fr['source.addDirectory'] })).toBeVisible();
  await expectFrench(page, 'session locale vide');

  await pick(page, 'Ajouter un répertoire' as 'Add directory', 'fr-src');
  await pick(page, 'Ajouter un répertoire' as 'Add directory', 'fr-dst');
  await page.getByRole('button', { name: fr['inventory.start'] }).click();
  await expect(page.getByRole('table')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('button', { name: fr['inventory.start'] })).toBeEnabled({ timeout: 120_000 });
  await expectFrench(page, 'comparaison');

  await page.getByRole('button', { name: fr['rules.add'] }).click();
  const editor = page.getByRole('dialog');
  await editor.getByRole('button', { name: fr['rule.condition.add'] }).click();
  await editor.getByLabel(fr['rule.on'], { exact: true }).selectOption('size');
  await editor.getByRole('button', { name: fr['rule.save'] }).click();
  await expect(editor.getByText(fr['rule.error.size-empty'])).toBeVisible();
  await expectFrench(page, 'éditeur de règle, avec une erreur');
  await editor.getByRole('button', { name: fr['rule.cancel'] }).click();

  const actions = page.getByRole('region', { name: fr['actions.title'] });
  await actions.getByLabel(fr['actions.preset']).selectOption('mirror');
  await actions.getByLabel(fr['actions.from']).selectOption('A1');
  await actions.getByLabel(fr['actions.to']).selectOption('A2');
  await page.getByRole('button', { name: fr['actions.apply'] }).click();
  await page.getByRole('button', { name: fr['sync.start'] }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectFrench(page, 'confirmation');
  await page.getByRole('dialog').getByRole('button', { name: fr['sync.confirm.ok'] }).click();
  await expect(page.getByRole('status').getByRole('heading', { level: 2 })).toHaveText(fr['sync.complete'], { timeout: 120_000 });
  await expectFrench(page, 'résultat');

  await page.getByRole('button', { name: fr['history.open'] }).click();
  await expect(page.getByRole('table').first()).toBeVisible();
  await expectFrench(page, 'historique');

  // A reload brings the local session back (its folders remembered): that screen too, then home and the cloud pages.
  await page.goto('/');
  await expect(page.getByRole('region', { name: fr['remembered.title'] })).toBeVisible();
  await expectFrench(page, 'session locale retrouvée');
  await page.getByRole('button', { name: fr['common.back'] }).click();
  await page.getByRole('button', { name: fr['home.cloud'] }).click();
  await expect(page.getByRole('button', { name: fr['cloud.join'] })).toBeVisible();
  await expectFrench(page, 'cloud, départ');
  await page.getByRole('button', { name: fr['cloud.join'] }).click();
  await expect(page.getByRole('textbox').first()).toBeVisible();
  await expectFrench(page, 'cloud, rejoindre');
});
