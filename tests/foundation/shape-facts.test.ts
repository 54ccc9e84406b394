/**
 * Shapes filter assets, story tags and listening events on facts copied
 * from their story or listener (migrations 050, 051). The copies must follow
 * every change in the same transaction, or a device would keep seeing what
 * its viewer may no longer see.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../support/tenant-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let t: TestDatabase;
let owner: pg.Client;
let f: TenantFixture;

beforeAll(async () => {
  t = await createTestDatabase('shape_facts');
  owner = await t.owner();
  f = await createTenantFixture(owner, { storyVisibility: 'private', storyPublished: false });
});
afterAll(async () => {
  await t.drop();
});

const facts = (table: 'assets' | 'story_tags') =>
  t.db.read<{ story_visibility: string; story_is_published: boolean; story_age_range: string }>(
    { tenantId: f.tenantId, userId: null },
    `SELECT story_visibility, story_is_published, story_age_range FROM ${table} WHERE story_id = $1`,
    [f.storyId],
  );

describe('story facts on assets and story tags', () => {
  it('are copied when the row is attached to its story', async () => {
    for (const table of ['assets', 'story_tags'] as const) {
      expect(await facts(table), table).toEqual([{ story_visibility: 'private', story_is_published: false, story_age_range: '4-6' }]);
    }
  });

  it('follow the story when it changes, in the same transaction', async () => {
    await t.db.transaction({ tenantId: f.tenantId, userId: f.userId }, async (tx) => {
      await tx.execute(`UPDATE stories SET visibility = 'tenant_only', is_published = true, age_range = '7-9' WHERE id = $1`, [f.storyId]);
      const inside = await tx.query(`SELECT story_visibility FROM story_tags WHERE story_id = $1`, [f.storyId]);
      expect(inside).toEqual([{ story_visibility: 'tenant_only' }]);
    });
    for (const table of ['assets', 'story_tags'] as const) {
      expect(await facts(table), table).toEqual([{ story_visibility: 'tenant_only', story_is_published: true, story_age_range: '7-9' }]);
    }
  });

  it('listening events carry whether the listener is a kid', async () => {
    const kid = await t.db.transaction({ tenantId: f.tenantId, userId: f.userId }, async (tx) => {
      const row = await tx.one<{ id: string }>(`INSERT INTO users (tenant_id, profile_id, kind, display_name) VALUES ($1, $2, 'kid', 'Kid') RETURNING id`, [f.tenantId, f.profileId]);
      await tx.execute(
        `INSERT INTO listening_events (tenant_id, user_id, story_id, device_id, position_seconds, event_kind, occurred_at, listener_kind)
         VALUES ($1, $2, $3, 'tablet', 1, 'start', now(), 'adult')`,
        [f.tenantId, row.id, f.storyId],
      );
      return row.id;
    });
    const [event] = await t.db.read<{ listener_kind: string }>({ tenantId: f.tenantId, userId: null }, 'SELECT listener_kind FROM listening_events WHERE user_id = $1', [kid]);
    // The writer's claim is ignored: the trigger reads the user.
    expect(event!.listener_kind).toBe('kid');
  });
});
