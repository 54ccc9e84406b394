/**
 * Screenshots of every mode at phone and tablet sizes, against the real
 * server, saved to artifacts/screenshots/ (CI keeps that folder). They are
 * for people to look at; the assertions only check each screen rendered its
 * content rather than a spinner or an error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeneratedCoverProvider } from '../../worker/providers/covers/generated-cover-provider.ts';
import { api, createFamily, type TestFamily } from '../device/support/family-accounts.ts';
import { startTalemoServer, type TalemoServer } from '../device/support/talemo-server.ts';
import { PICTURE_CODE, signInWithPassword } from './support/app-actions.ts';
import { openBrowser, VIEWPORTS, type TestBrowser } from './support/chromium.ts';
import { createNarratedStory, type NarratedStory } from './support/story-fixtures.ts';

const OUT = path.resolve(import.meta.dirname, '../../artifacts/screenshots');
const SIZES = { phone: VIEWPORTS.phone, tablet: VIEWPORTS.tablet } as const;

let server: TalemoServer;
let owner: pg.Client;
let family: TestFamily;
let stories: NarratedStory[] = [];
let adult: TestBrowser;
let kid: TestBrowser;

const STORIES = [
  { title: 'The Lighthouse Cat', ageRange: '4-6', description: 'A small grey cat keeps the lighthouse lamp company through a stormy night.' },
  { title: 'Moss and the Midnight Garden', ageRange: '4-6', description: 'A curious hedgehog discovers what the garden does after dark.' },
  { title: 'Le petit nuage qui voulait pleuvoir', ageRange: '0-3', description: 'Un tout petit nuage apprend que chacun arrive à son heure.', language: 'fr' },
  { title: 'Captain Pip and the Paper Boat', ageRange: '7-9', description: 'A paper boat sails down the gutter river all the way to the sea.' },
];

async function shoot(page: Page, name: string, ready: string): Promise<void> {
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.waitForSelector(ready, { timeout: 30_000 });
    await page.waitForTimeout(700);
    await page.screenshot({ path: path.join(OUT, `${name}-${size}.png`) });
  }
}

beforeAll(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  server = await startTalemoServer('e2e_shots');
  owner = await server.db.owner();
  family = await createFamily(server.url, 'shots');
  const covers = new GeneratedCoverProvider();
  for (const [i, s] of STORIES.entries()) {
    const cover = await covers.generate({ title: s.title, description: s.description });
    stories.push(await createNarratedStory(server.url, family.admin.token, owner, family.admin.tenantId, { ...s, seconds: 20 + i * 5, cover: cover.thumbnail }));
  }
  adult = await openBrowser(VIEWPORTS.phone);
  kid = await openBrowser(VIEWPORTS.tablet);
}, 300_000);

afterAll(async () => {
  await adult?.close();
  await kid?.close();
  await owner?.end();
  await server?.close();
});

describe('screenshots', () => {
  it('sign-in screens', async () => {
    await adult.page.goto(server.url);
    await shoot(adult.page, 'auth-sign-in', '#email');
    // This server configures neither provider: their buttons stay, disabled, and say so.
    for (const provider of ['Google', 'Apple']) {
      const button = adult.page.locator(`button:has-text("Continue with ${provider}")`);
      expect(await button.isDisabled()).toBe(true);
      expect(await button.innerText()).toContain('not configured');
    }
    await adult.page.goto(`${server.url}/pair`);
    await shoot(adult.page, 'auth-pair-device', '#pair-code');
  }, 120_000);

  it('parent mode', async () => {
    await signInWithPassword(adult.page, server.url, family.admin.email);
    await shoot(adult.page, 'parent-library', '.story-card');
    expect(await adult.page.locator('.story-card').count()).toBe(STORIES.length);
    await adult.page.click(`.story-card[data-story-id="${stories[0]!.id}"] a`);
    await shoot(adult.page, 'parent-story-detail', '.story-detail');
    await adult.page.goto(`${server.url}/create`);
    await adult.page.click('text=Story details');
    await adult.page.fill('#cr-title', 'The Owl Who Was Afraid of the Dark');
    await adult.page.fill('#cr-content', 'Plop was a baby barn owl who did not like the dark at all…');
    await shoot(adult.page, 'parent-create', '#cr-title');
    await adult.page.goto(`${server.url}/kids`);
    await shoot(adult.page, 'parent-kids', '.kid-summary');
    await adult.page.goto(`${server.url}/settings`);
    await shoot(adult.page, 'parent-settings', '.storage-card');
  }, 180_000);

  it('admin mode', async () => {
    await adult.page.goto(`${server.url}/admin/profiles`);
    await shoot(adult.page, 'admin-profiles', '.profile-editor');
    await adult.page.goto(`${server.url}/admin/members`);
    await shoot(adult.page, 'admin-members', '.member-row');
    await adult.page.goto(`${server.url}/admin/policies`);
    await shoot(adult.page, 'admin-policies', '[data-policy="bedtime"]');
    await adult.page.goto(`${server.url}/admin/usage`);
    await shoot(adult.page, 'admin-usage', '.plan-card');
    await adult.page.goto(`${server.url}/admin/audit`);
    await shoot(adult.page, 'admin-audit', '.audit-list, .empty-state, .notice');
  }, 180_000);

  it('in French', async () => {
    await adult.page.goto(`${server.url}/settings`);
    await adult.page.selectOption('#set-locale', 'fr');
    await adult.page.waitForSelector('html[lang="fr"]', { timeout: 10_000 });
    await adult.page.goto(`${server.url}/library`);
    await shoot(adult.page, 'fr-parent-library', '.story-card');
    expect(await adult.page.locator('.adult-nav').innerText()).toContain('Bibliothèque');
    await adult.page.goto(`${server.url}/admin/usage`);
    await shoot(adult.page, 'fr-admin-usage', '.plan-card');
    expect(await adult.page.locator('#plan-title').innerText()).toBe('Offre');
    await adult.page.goto(`${server.url}/settings`);
    await shoot(adult.page, 'fr-parent-settings', '.storage-card');
    await adult.page.selectOption('#set-locale', 'en');
    await adult.page.waitForSelector('html[lang="en"]', { timeout: 10_000 });
  }, 120_000);

  it('kid mode', async () => {
    const code = await api<{ code: string }>(server.url, 'POST', '/api/auth/pairing/codes', { kidId: family.kid.userId }, family.admin.token);
    await kid.page.goto(`${server.url}/pair`);
    await kid.page.waitForSelector('#pair-code', { timeout: 60_000 });
    await kid.page.fill('#pair-code', code.data.code);
    await kid.page.click('button[type=submit]');
    await shoot(kid.page, 'kid-picture-code', '.pin-grid');
    await finishPictureCode(kid.page);
    await kid.page.waitForSelector('.kid-card[data-offline="true"]', { timeout: 60_000 });
    await shoot(kid.page, 'kid-library', '.kid-card');
    // The kid profile allows 0-3, 4-6 and 7-9: all four stories.
    expect(await kid.page.locator('.kid-card').count()).toBe(STORIES.length);
    await kid.page.click(`.kid-card[data-story-id="${stories[0]!.id}"]`);
    await kid.page.waitForSelector('.kid-play[data-playing="true"]', { timeout: 30_000 });
    await kid.page.click('.kid-sleep');
    await shoot(kid.page, 'kid-player', '.kid-player');
    await kid.page.click('.kid-play');
    await kid.page.click('.kid-back');
    await kid.page.click('.kid-lock');
    await shoot(kid.page, 'kid-parent-lock', '.pin-grid');
  }, 240_000);
});

/** The picture-code setup shown right after pairing. */
async function finishPictureCode(page: Page): Promise<void> {
  for (let round = 0; round < 2; round++) for (const p of PICTURE_CODE) await page.click(`[data-picture="${p}"]`);
  await page.waitForSelector('.kid-header', { timeout: 30_000 });
}

