/**
 * Offline cold start to an interactive kid library: Chromium is started
 * afresh on the paired tablet's profile with the network off and the server
 * stopped, opens the app, and we time navigation start → the first story
 * card painted and tappable. The service worker serves the shell; the card
 * comes first from the boot snapshot of the library (kid/library-snapshot.ts),
 * then from the replica once the PGlite worker has restored it from
 * IndexedDB — both times are printed.
 *
 *   node --import tsx bench/client-cold-start.ts [runs=5]
 *
 * Target: <= 1.5 s.
 */
import { fmt, summarize } from './support/latency.ts';
import { createClientBenchWorld } from './client-support-world.ts';

const runs = Number(process.argv[2] ?? 5);
const world = await createClientBenchWorld();
await world.stopServer();
const samples: number[] = [];
const replicaOpen: number[] = [];
const fromReplica: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const { context, page } = await world.open(true);
    await page.goto(world.baseUrl);
    await page.waitForSelector(`.kid-card[data-story-id="${world.storyId}"]`, { state: 'visible', timeout: 30_000 }).catch(async (err: unknown) => {
      await page.screenshot({ path: 'artifacts/bench-cold-start-failure.png' });
      throw err;
    });
    // Measured inside the page, from navigation start, once the card is there and enabled.
    const t = await page.evaluate(() => performance.now());
    const mark = (name: string) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? Number.NaN, name);
    await page.waitForFunction(() => performance.getEntriesByName('talemo:library-ready').length > 0, undefined, { timeout: 30_000 });
    const painted = await mark('talemo:library-painted');
    const opened = await mark('talemo:replica-open');
    const session = await mark('talemo:session-known');
    const libraryQuery = await mark('talemo:library-ready');
    fromReplica.push(libraryQuery);
    console.log(`  marks: boot snapshot painted ${fmt(painted)}, replica handle ${fmt(opened)}, first replica query ${fmt(session)}, live library from the replica ${fmt(libraryQuery)}`);
    samples.push(t);
    replicaOpen.push(opened);
    console.log(`run ${i + 1}: library interactive at ${fmt(t)} (replica open at ${fmt(opened)})`);
    await context.close();
  }
} finally {
  await world.cleanup();
}
const s = summarize(samples);
const r = summarize(replicaOpen);
console.log(`offline cold start → interactive kid library: p50 ${fmt(s.p50)}, p95 ${fmt(s.p95)}, max ${fmt(s.max)} over ${s.count} runs (target <= 1500 ms)`);
const f = summarize(fromReplica);
console.log(`  the library from the replica itself (PGlite restored from IndexedDB, live query answered): p50 ${fmt(f.p50)}, p95 ${fmt(f.p95)}`);
console.log(`  replica handle in the tab: p50 ${fmt(r.p50)}`);
