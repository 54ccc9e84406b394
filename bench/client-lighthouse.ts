/**
 * Lighthouse performance score of the kid library, on Debian's Chromium
 * (launched by chrome-launcher with CHROME_PATH; nothing is downloaded), on
 * the paired tablet's profile: storage is not reset, so the session, the
 * replica and the service worker are what a tablet that has used Talemo
 * before has. Both presets are run: Lighthouse's default mobile (simulated
 * slow 4G and a 4x slower CPU) and desktop.
 *
 *   node --import tsx bench/client-lighthouse.ts
 *
 * Target: >= 90.
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CHROMIUM } from '../tests/e2e/support/chromium.ts';
import { createClientBenchWorld } from './client-support-world.ts';

const world = await createClientBenchWorld();
try {
  for (const preset of ['mobile', 'desktop'] as const) {
    const chrome = await chromeLauncher.launch({
      chromePath: CHROMIUM,
      userDataDir: world.userDataDir,
      chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const result = await lighthouse(
        `${world.baseUrl}/`,
        { port: chrome.port, onlyCategories: ['performance'], disableStorageReset: true, logLevel: 'error', output: 'json' },
        preset === 'desktop' ? desktopConfig : undefined,
      );
      const lhr = result!.lhr;
      const audit = (id: string) => lhr.audits[id]?.displayValue ?? 'n/a';
      console.log(
        `Lighthouse performance, kid library, ${preset}: ${Math.round((lhr.categories.performance?.score ?? 0) * 100)} ` +
          `(FCP ${audit('first-contentful-paint')}, LCP ${audit('largest-contentful-paint')}, TBT ${audit('total-blocking-time')}, CLS ${audit('cumulative-layout-shift')}, SI ${audit('speed-index')})   target >= 90`,
      );
    } finally {
      chrome.kill();
    }
  }
} finally {
  await world.cleanup();
}
