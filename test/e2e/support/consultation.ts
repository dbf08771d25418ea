import type { Page } from 'playwright-core';
import { textOf } from './browser.js';

/** The consultation's "Next" / "Save" button, at the bottom of each step. */
export const nextStep = (page: Page) => page.getByRole('button', { name: 'Next', exact: true }).click();

/**
 * A short consultation through the form, on a phone: tight hamstrings marked by touch on the back of the body,
 * a desk job, no injuries or conditions, deep pressure, both consents. Ends with the tap on "Save".
 */
export async function fillShortConsultation(page: Page) {
  await textOf(page.getByRole('heading', { level: 2, name: /Where it hurts/ })).toContain('Where it hurts');
  await page.getByRole('button', { name: 'Back', exact: true }).tap();
  await page.getByRole('button', { name: 'Back of the thigh (hamstrings), left', exact: true }).tap();
  await page.getByRole('button', { name: 'Back of the thigh (hamstrings), right', exact: true }).tap();
  await page.getByRole('slider', { name: 'Tightness, Back of the thigh (hamstrings), left' }).fill('8');
  await nextStep(page);
  await page.getByLabel('Mostly sitting').check();
  await page.getByLabel('Hours a day at a desk or screen').fill('8');
  await nextStep(page);
  await nextStep(page);
  await nextStep(page);
  await page.getByLabel('4. Deep').check();
  await page.getByLabel(/I agree to deep tissue massage/).check();
  await page.getByLabel(/I agree that Knotwork keeps/).check();
  await page.getByRole('button', { name: 'Save my consultation' }).click();
}

/** The short consultation, ending on the screening result. */
export async function completeShortConsultation(page: Page) {
  await fillShortConsultation(page);
  await textOf(page.getByRole('region', { name: 'Is deep tissue massage right for you?' })).toContain(
    'Deep tissue massage suits you today.',
  );
}
