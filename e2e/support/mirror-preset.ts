/** The local page's Mirror preset, chosen in the actions panel up to the confirmation dialog (specs and benches alike). */
import type { Page } from '@playwright/test';

/** Chooses Mirror `from` → `to`, applies it and clicks Start synchronization: the confirmation dialog opens next. */
export async function chooseMirror(page: Page, from: string, to: string): Promise<void> {
  // Inside the actions panel: 'To' alone also matches other labels on the page ("Not visible to the browser").
  const actions = page.getByRole('region', { name: 'Synchronization actions' });
  await actions.getByLabel('Preset').selectOption('mirror');
  await actions.getByLabel('From').selectOption(from);
  await actions.getByLabel('To').selectOption(to);
  await page.getByRole('button', { name: 'Apply preset' }).click();
  await page.getByRole('button', { name: 'Start synchronization' }).click();
}
