/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, with a
 * fresh user-data directory per browser: never a downloaded browser.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The tests press play programmatically; a person's tap is the gesture in real use.
  '--autoplay-policy=no-user-gesture-required',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Everything the page logged, for failure messages. */
  logs: string[];
  close(): Promise<void>;
}

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  tablet: { width: 1024, height: 768 },
  desktop: { width: 1366, height: 900 },
} as const;

export async function openBrowser(viewport: { width: number; height: number } = VIEWPORTS.phone): Promise<TestBrowser> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport, locale: 'en-GB' });
  const page = context.pages()[0] ?? (await context.newPage());
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  return {
    context,
    page,
    logs,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
