/**
 * Fills one tenant with a row in every tenant-bound table, written by the
 * owner inside that tenant's RLS context. The isolation suite checks that the
 * fixture covers every tenant-bound table in the catalog, so a new table
 * cannot slip past it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';

export interface TenantFixture {
  tenantId: string;
  userId: string;
  profileId: string;
  storyId: string;
  /** Tables this fixture wrote at least one row into. */
  tables: string[];
}

export interface FixtureOptions {
  type?: 'family' | 'institution';
  /** The story's visibility; private by default so it must never cross tenants. */
  storyVisibility?: 'public' | 'tenant_only' | 'private';
  storyPublished?: boolean;
}

export async function createTenantFixture(owner: pg.Client, options: FixtureOptions = {}): Promise<TenantFixture> {
  const tenantId = randomUUID();
  const tables: string[] = [];
  const insert = async (table: string, sql: string, params: unknown[]) => {
    const { rows } = await owner.query(sql, params);
    tables.push(table);
    return rows[0] as { id: string };
  };

  await owner.query('BEGIN');
  try {
    await owner.query(`SELECT set_config('app.tenant', $1, true)`, [tenantId]);
    await insert('tenants', `INSERT INTO tenants (id, name, type) VALUES ($1, $2, $3) RETURNING id`, [tenantId, `Tenant ${tenantId.slice(0, 8)}`, options.type ?? 'family']);
    const profile = await insert('profiles', `INSERT INTO profiles (tenant_id, name, permissions) VALUES ($1, 'Members', '{"actions":["stories.read"],"limits":{"ageRanges":null,"languages":null}}') RETURNING id`, [tenantId]);
    const user = await insert('users', `INSERT INTO users (tenant_id, profile_id, email, display_name) VALUES ($1, $2, $3, 'Pat') RETURNING id`, [tenantId, profile.id, `pat-${tenantId}@example.com`]);
    await insert('user_credentials', `INSERT INTO user_credentials (user_id, tenant_id, password_hash) VALUES ($1, $2, 'not-a-real-hash') RETURNING user_id AS id`, [user.id, tenantId]);
    await insert('user_identities', `INSERT INTO user_identities (tenant_id, user_id, idp_issuer, idp_subject) VALUES ($1, $2, 'https://issuer.example', $3) RETURNING id`, [tenantId, user.id, randomUUID()]);
    await insert('sessions', `INSERT INTO sessions (id, tenant_id, user_id, secret_hash, expires_at) VALUES ($1, $2, $3, $4, now() + interval '1 day') RETURNING id`, [randomBytes(15).toString('hex'), tenantId, user.id, sha256('secret')]);
    await insert('invitations', `INSERT INTO invitations (tenant_id, token_hash, profile_id, created_by, expires_at) VALUES ($1, $2, $3, $4, now() + interval '1 day') RETURNING id`, [tenantId, sha256(randomUUID()), profile.id, user.id]);
    await insert('tenant_policies', `INSERT INTO tenant_policies (tenant_id, key, value) VALUES ($1, 'max_volume', '70') RETURNING id`, [tenantId]);
    await insert('subscriptions', `INSERT INTO subscriptions (tenant_id, user_id, plan, status) VALUES ($1, $2, 'free', 'active') RETURNING id`, [tenantId, user.id]);
    const task = await insert('agent_tasks', `INSERT INTO agent_tasks (tenant_id, agent_type, requested_by) VALUES ($1, 'TTSAgent', $2) RETURNING id`, [tenantId, user.id]);
    const asset = await insert(
      'assets',
      `INSERT INTO assets (tenant_id, type, storage_key, size_bytes, mime_type, checksum_sha256, source_task_id) VALUES ($1, 'audio', $2, 10, 'audio/mpeg', $3, $4) RETURNING id`,
      [tenantId, `tenants/${tenantId}/audio/${randomUUID()}.mp3`, sha256(randomUUID()).toString('hex'), task.id],
    );
    const story = await insert(
      'stories',
      `INSERT INTO stories (tenant_id, title, age_range, created_by, visibility, is_published, moderation_status, audio_asset_id)
       VALUES ($1, 'A story', '4-6', $2, $3, $4, 'approved', $5) RETURNING id`,
      [tenantId, user.id, options.storyVisibility ?? 'private', options.storyPublished ?? false, asset.id],
    );
    const tag = await owner.query<{ id: string }>(`INSERT INTO tags (name, slug, category) VALUES ('Fixture', $1, 'theme') RETURNING id`, [`fixture-${randomBytes(4).toString('hex')}`]);
    await insert('story_tags', `INSERT INTO story_tags (tenant_id, story_id, tag_id) VALUES ($1, $2, $3) RETURNING story_id AS id`, [tenantId, story.id, tag.rows[0]!.id]);
    await insert('llm_usage', `INSERT INTO llm_usage (tenant_id, agent_task_id, provider, model, purpose, prompt_tokens) VALUES ($1, $2, 'fake', 'fake-1', 'moderation', 10) RETURNING id`, [tenantId, task.id]);
    await insert('listening_events', `INSERT INTO listening_events (tenant_id, user_id, story_id, device_id, position_seconds, event_kind, occurred_at) VALUES ($1, $2, $3, 'tablet-1', 12.5, 'progress', now()) RETURNING id`, [tenantId, user.id, story.id]);
    await insert('audit_log', `INSERT INTO audit_log (tenant_id, actor_id, action, target_type, target_id) VALUES ($1, $2, 'profile.update', 'profile', $3) RETURNING id::text`, [tenantId, user.id, profile.id]);
    const hook = await insert('webhooks', `INSERT INTO webhooks (tenant_id, url, events, secret, created_by) VALUES ($1, 'https://hooks.example/x', '{audit-event}', $2, $3) RETURNING id`, [tenantId, randomBytes(24).toString('hex'), user.id]);
    await insert(
      'sync_mutation_results',
      `INSERT INTO sync_mutation_results (tenant_id, write_id, user_id, device_id, mutation_type, fingerprint, status, result)
       VALUES ($1, $2, $3, 'tablet-1', 'story.delete', $4, 'rejected', '{"status":"rejected"}') RETURNING write_id AS id`,
      [tenantId, randomUUID(), user.id, sha256(randomUUID()).toString('hex')],
    );
    await insert('webhook_deliveries', `INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, event_type, payload, attempt, status) VALUES ($1, $2, $3, 'audit-event', '{}', 1, 'pending') RETURNING id`, [tenantId, hook.id, randomUUID()]);
    await insert('pairing_codes', `INSERT INTO pairing_codes (tenant_id, code_hash, kid_user_id, created_by, issued_by_session_id, expires_at) VALUES ($1, $2, $3, $3, 'fixture-session', now() + interval '10 minutes') RETURNING id`, [tenantId, sha256(randomUUID()), user.id]);
    await owner.query('COMMIT');
    return { tenantId, userId: user.id, profileId: profile.id, storyId: story.id, tables: [...new Set(tables)] };
  } catch (err) {
    await owner.query('ROLLBACK');
    throw err;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
