/** What a person does in the PWA, as reusable steps for the end-to-end suites. */
import type { Page } from 'playwright-core';
import { TEST_PASSWORD } from '../../device/support/family-accounts.ts';

export const PICTURE_CODE = ['sun', 'moon', 'star'];

export async function signInWithPassword(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(baseUrl);
  await page.waitForSelector('#email', { timeout: 60_000 });
  await page.fill('#email', email);
  await page.fill('#password', TEST_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('.adult-nav', { timeout: 60_000 });
}

/** Pairs this browser as the kid's tablet, then sets the picture code. */
export async function pairKidDevice(page: Page, baseUrl: string, code: string): Promise<void> {
  await page.goto(`${baseUrl}/pair`);
  await page.waitForSelector('#pair-code', { timeout: 60_000 });
  await page.fill('#pair-code', code);
  await page.click('button[type=submit]');
  await page.waitForSelector('.pin-grid', { timeout: 60_000 });
  for (let round = 0; round < 2; round++) {
    for (const picture of PICTURE_CODE) await page.click(`[data-picture="${picture}"]`);
  }
  await page.waitForSelector('.kid-header', { timeout: 30_000 });
}

export async function cachedBytes(page: Page, path: string): Promise<number | null> {
  return page.evaluate(async (p) => {
    const cache = await caches.open('talemo-offline-v1');
    const hit = await cache.match(p);
    return hit ? (await hit.blob()).size : null;
  }, path);
}

/** Resolves once a service worker controls the page (after the first install), or says why not. */
export async function waitForServiceWorker(page: Page, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let state = '';
  while (Date.now() < deadline) {
    state = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return JSON.stringify({ controlled: !!navigator.serviceWorker.controller, active: reg?.active?.state ?? null, installing: reg?.installing?.state ?? null, waiting: reg?.waiting?.state ?? null });
    });
    if (JSON.parse(state).controlled) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`No service worker controls the page: ${state}`);
}

export async function currentTime(page: Page): Promise<number> {
  const v = await page.getAttribute('.kid-progress', 'data-current-time');
  return Number(v ?? 'NaN');
}
