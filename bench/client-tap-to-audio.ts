/**
 * Tap → audio from the cache: on the paired tablet, offline, a tap on a
 * downloaded story's cover until howler reports playback started (the
 * service worker answers the audio element's Range requests from Cache
 * Storage). Timed inside the page from the click.
 *
 *   node --import tsx bench/client-tap-to-audio.ts [taps=10]
 *
 * Target: <= 300 ms.
 */
import { fmt, summarize } from './support/latency.ts';
import { createClientBenchWorld } from './client-support-world.ts';

const taps = Number(process.argv[2] ?? 10);
const world = await createClientBenchWorld();
await world.stopServer();
const samples: number[] = [];
const steps: Array<Record<string, number | null>> = [];
try {
  const { context, page } = await world.open(true);
  await page.goto(world.baseUrl);
  const card = `.kid-card[data-story-id="${world.storyId}"]`;
  await page.waitForSelector(card, { timeout: 30_000 });
  // Taps on a running app; the cold start is client-cold-start.ts's figure.
  await page.waitForFunction(() => performance.getEntriesByName('talemo:library-ready').length > 0, undefined, { timeout: 30_000 });
  for (let i = 0; i < taps; i++) {
    // A person looks at the library for a moment between stories; the replica
    // finishes writing the last story's listening events meanwhile.
    await page.waitForTimeout(1_000);
    await page.evaluate(() => performance.clearMarks());
    const clickedAt = await page.evaluate(() => performance.now());
    const ms = await page.evaluate(
      (selector) =>
        new Promise<number>((resolve, reject) => {
          const t0 = performance.now();
          const timer = setTimeout(() => reject(new Error('no playback within 10 s')), 10_000);
          const observer = new MutationObserver(() => {
            if (document.querySelector('.kid-play[data-playing="true"]')) {
              observer.disconnect();
              clearTimeout(timer);
              resolve(performance.now() - t0);
            }
          });
          observer.observe(document.body, { subtree: true, attributes: true, childList: true });
          (document.querySelector(selector) as HTMLElement).click();
        }),
      card,
    );
    samples.push(ms);
    const marks = await page.evaluate(() => Object.fromEntries(['talemo:player-source', 'talemo:player-loaded', 'talemo:player-playing'].map((n) => [n.slice(14), performance.getEntriesByName(n)[0]?.startTime ?? null])));
    steps.push(Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v === null ? null : v - clickedAt])));
    await page.click('.kid-play');
    await page.click('.kid-back');
    await page.waitForSelector(card);
  }
  await context.close();
} finally {
  await world.cleanup();
}
const s = summarize(samples);
console.log(`tap → audio playing, from the offline cache: p50 ${fmt(s.p50)}, p95 ${fmt(s.p95)}, max ${fmt(s.max)} over ${s.count} taps (target <= 300 ms)`);
console.log(`  first tap (cold audio element): ${fmt(samples[0]!)}`);
const last = steps.at(-1)!;
console.log(`  last tap, from the click (±1 ms of evaluate): source found ${last.source?.toFixed(0)} ms, audio loaded ${last.loaded?.toFixed(0)} ms, playing ${last.playing?.toFixed(0)} ms`);
