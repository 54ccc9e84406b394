/**
 * The PWA end to end, in Debian's Chromium against the real server (`npm
 * start`'s entry point, real Postgres, the embedded shape service):
 *
 * (a) a kid tablet downloads a story, loses the network and the server, is
 *     reloaded, and still plays it;
 * (b) a parent on another device creates a story and the kid's tablet shows
 *     it without a reload;
 * (c) an admin removes an age range and the kid's tablet drops the hidden
 *     story and its cached audio;
 * (d) a parent's draft written offline is sent, once, when back online;
 * (e) the parent makes a story available offline by hand, then signs out:
 *     the download, the library snapshot and the cached account leave the
 *     device, so offline it shows the sign-in screen, not the library.
 *
 * The steps share one server, one family and two browsers, in this order.
 */
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, createFamily, type TestFamily } from '../device/support/family-accounts.ts';
import { startTalemoServer, type TalemoServer } from '../device/support/talemo-server.ts';
import { waitFor } from '../device/support/wait-for.ts';
import { cachedBytes, currentTime, pairKidDevice, signInWithPassword, waitForServiceWorker } from './support/app-actions.ts';
import { openBrowser, VIEWPORTS, type TestBrowser } from './support/chromium.ts';
import { createNarratedStory, type NarratedStory } from './support/story-fixtures.ts';

let server: TalemoServer;
let owner: pg.Client;
/** A superuser connection (RLS does not hide rows from it), for assertions only. */
let admin: pg.Client;
let family: TestFamily;
let kid: TestBrowser;
let parent: TestBrowser;
let youngStory: NarratedStory;

function logsOf(b: TestBrowser | undefined): string {
  return b ? b.logs.slice(-40).join('\n') : '';
}

beforeAll(async () => {
  server = await startTalemoServer('e2e_pwa');
  owner = await server.db.owner();
  admin = new pg.Client({ connectionString: server.db.urls.admin });
  await admin.connect();
  family = await createFamily(server.url, 'e2e');
  youngStory = await createNarratedStory(server.url, family.admin.token, owner, family.admin.tenantId, { title: 'The Lighthouse Cat', ageRange: '4-6', seconds: 40, seed: 3 });
  kid = await openBrowser(VIEWPORTS.tablet);
  parent = await openBrowser(VIEWPORTS.phone);
}, 300_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  // Leave what the browsers showed, for whoever reads the failure.
  const dir = 'artifacts/e2e-failures';
  fs.mkdirSync(dir, { recursive: true });
  const name = ctx.task.name.slice(0, 3).replace(/[^a-z]/g, '');
  await kid?.page.screenshot({ path: `${dir}/${name}-kid.png` }).catch(() => {});
  await parent?.page.screenshot({ path: `${dir}/${name}-parent.png` }).catch(() => {});
  fs.writeFileSync(`${dir}/${name}-logs.txt`, `kid:\n${logsOf(kid)}\n\nparent:\n${logsOf(parent)}\n\nserver:\n${server?.output().slice(-5000)}`);
});

afterAll(async () => {
  await kid?.close();
  await parent?.close();
  await owner?.end();
  await admin?.end();
  await server?.close();
});

describe('the Talemo PWA', () => {
  it('(a) plays a downloaded story offline after a reload, with the server stopped', async () => {
    const code = await api<{ code: string }>(server.url, 'POST', '/api/auth/pairing/codes', { kidId: family.kid.userId, deviceName: 'Tablet' }, family.admin.token);
    expect(code.status).toBe(201);
    await pairKidDevice(kid.page, server.url, code.data.code);

    const card = kid.page.locator(`.kid-card[data-story-id="${youngStory.id}"]`);
    await card.waitFor({ timeout: 60_000 });
    // offline_auto_download is on by default: the tablet downloads the story by itself.
    await kid.page.waitForSelector(`.kid-card[data-story-id="${youngStory.id}"][data-offline="true"]`, { timeout: 60_000 });
    expect(await cachedBytes(kid.page, `/offline/audio/${youngStory.id}`)).toBe(youngStory.bytes);
    await waitForServiceWorker(kid.page);

    await kid.context.setOffline(true);
    await server.stop();
    await kid.page.reload();
    await kid.page.locator(`.kid-card[data-story-id="${youngStory.id}"]`).waitFor({ timeout: 30_000 });
    await kid.page.click(`.kid-card[data-story-id="${youngStory.id}"]`);
    await kid.page.waitForSelector('.kid-play[data-playing="true"]', { timeout: 30_000 }).catch(async () => {
      await kid.page.click('.kid-play');
      await kid.page.waitForSelector('.kid-play[data-playing="true"]', { timeout: 15_000 });
    });
    const first = await currentTime(kid.page);
    await waitFor(async () => (await currentTime(kid.page)) > first + 1, `currentTime to advance past ${first} (logs:\n${logsOf(kid)})`, 20_000);

    await kid.page.click('.kid-play');
    await kid.page.click('.kid-back');
    await server.start();
    await kid.context.setOffline(false);
  }, 240_000);

  it('(b) shows a story a parent creates on another device, without a reload', async () => {
    await signInWithPassword(parent.page, server.url, family.admin.email);
    await parent.page.goto(`${server.url}/create`);
    await parent.page.click('text=Story details');
    await parent.page.fill('#cr-title', 'Moss and the Midnight Garden');
    await parent.page.fill('#cr-content', 'Moss the hedgehog found a garden that only bloomed at night. She tiptoed between the moonflowers and said goodnight to each one.');
    await parent.page.selectOption('#cr-age', '7-9');
    await parent.page.click('button:has-text("Narrate and illustrate")');
    await parent.page.waitForSelector('.pipeline', { timeout: 10_000 });

    const kidCard = kid.page.locator('.kid-card[aria-label="Moss and the Midnight Garden"]');
    await kidCard.waitFor({ timeout: 180_000 });
    const navigations = await kid.page.evaluate(() => performance.getEntriesByType('navigation').length);
    expect(navigations).toBe(1);
  }, 300_000);

  it('(c) drops a story and its cached audio when an admin removes its age range', async () => {
    await parent.page.goto(`${server.url}/admin/policies`);
    const card = parent.page.locator('[data-policy="allowed_age_ranges"]');
    await card.waitFor({ timeout: 30_000 });
    await card.locator('input[data-age="4-6"]').uncheck();
    await card.locator('button:has-text("Save")').click();

    await kid.page.locator(`.kid-card[data-story-id="${youngStory.id}"]`).waitFor({ state: 'detached', timeout: 30_000 });
    await waitFor(async () => (await cachedBytes(kid.page, `/offline/audio/${youngStory.id}`)) === null, 'the cached audio to be removed', 15_000);
    const serverPolicy = await admin.query(`SELECT value FROM tenant_policies WHERE tenant_id = $1 AND key = 'allowed_age_ranges'`, [family.admin.tenantId]);
    expect(serverPolicy.rows[0]?.value).not.toContain('4-6');
  }, 120_000);

  it('(d) sends a draft written offline exactly once when back online', async () => {
    await parent.context.setOffline(true);
    await parent.page.goto(`${server.url}/write`).catch(() => {});
    await parent.page.waitForSelector('#ed-title', { timeout: 30_000 });
    await parent.page.fill('#ed-title', 'Written on the night train');
    await parent.page.fill('#ed-content', 'The train hummed a lullaby as it rolled through the hills.');
    await parent.page.click('button:has-text("Save draft")');
    await parent.page.waitForSelector('.story-detail', { timeout: 10_000 });
    await expect(parent.page.locator('.story-detail .badge-pending').count()).resolves.toBeGreaterThan(0);
    const onServerWhileOffline = await admin.query(`SELECT count(*)::int AS n FROM stories WHERE title = 'Written on the night train'`);
    expect(onServerWhileOffline.rows[0].n).toBe(0);

    await parent.context.setOffline(false);
    await parent.page.locator('.story-detail .badge-pending').waitFor({ state: 'detached', timeout: 60_000 });
    const rows = await admin.query(`SELECT id, write_id, created_by FROM stories WHERE title = 'Written on the night train'`);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].write_id).not.toBeNull();
    expect(rows.rows[0].created_by).toBe(family.admin.userId);
  }, 180_000);

  it('(e) downloads a story on request, and signing out takes it and the account off the device', async () => {
    const story = await admin.query(`SELECT id FROM stories WHERE title = 'Moss and the Midnight Garden' AND audio_asset_id IS NOT NULL`);
    const storyId: string = story.rows[0].id;
    await parent.page.goto(`${server.url}/stories/${storyId}`);
    await parent.page.click('button:has-text("Available offline")', { timeout: 30_000 });
    await parent.page.waitForSelector('.offline-toggle[data-offline="ready"]', { timeout: 60_000 });
    const audio = await admin.query(`SELECT a.size_bytes FROM stories s JOIN assets a ON a.id = s.audio_asset_id WHERE s.id = $1`, [storyId]);
    expect(await cachedBytes(parent.page, `/offline/audio/${storyId}`)).toBe(Number(audio.rows[0].size_bytes));

    await parent.page.goto(`${server.url}/settings`);
    await parent.page.click('button:has-text("Sign out")');
    await parent.page.waitForSelector('#email', { timeout: 30_000 });
    const left = await parent.page.evaluate(async () => ({
      caches: (await caches.keys()).filter((name) => name.startsWith('talemo-offline')),
      localStorage: Object.keys(localStorage).filter((key) => key.startsWith('talemo.') && key !== 'talemo.locale'),
    }));
    expect(left).toEqual({ caches: [], localStorage: [] });

    // Offline, a reload finds no account to open: the replica kept nothing of it.
    await parent.context.setOffline(true);
    await parent.page.reload().catch(() => {});
    await parent.page.waitForSelector('#email', { timeout: 30_000 });
    expect(await parent.page.locator('.adult-nav').count()).toBe(0);
    await parent.context.setOffline(false);
  }, 180_000);
});
