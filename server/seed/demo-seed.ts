/**
 * Seeds the demo on the very first start: a family, a school (each made by
 * the same createTenant sign-up uses: default profiles, starting policies, a
 * subscription), tags and a few published stories. It runs in one
 * transaction together with clearing the "first start" marker, so it happens
 * exactly once, or not at all, and never half.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_PROFILES } from '../../shapes/permissions.ts';
import type { Plan } from '../../shapes/policies.ts';
import { hashPassword } from '../auth/password.ts';
import { clientTx } from '../db/database.ts';
import { createTenant } from '../tenants/tenant-creation-service.ts';
import { DEMO_TAGS, FAMILY_STORIES, SCHOOL_STORIES, type DemoStory } from './demo-content.ts';

/** A narration or cover the seed asked for; dispatched once the worker is up. */
export interface DemoTask {
  id: string;
  tenantId: string;
  agentType: 'TTSAgent' | 'IllustratorAgent';
  requestedBy: string;
}

export interface DemoSeed {
  accounts: DemoAccount[];
  /** The demo stories' narration and covers, made by the worker like any other. */
  tasks: DemoTask[];
}

export interface DemoAccount {
  tenant: string;
  name: string;
  profile: string;
  /** Absent for kids, who sign in through device pairing. */
  email?: string;
  password?: string;
}

type ProfileKey = keyof typeof DEFAULT_PROFILES;

interface DemoMember {
  name: string;
  profile: ProfileKey;
  kind: 'adult' | 'kid';
  email?: string;
  avatar: string;
}

interface DemoTenant {
  name: string;
  type: 'family' | 'institution';
  plan: Plan;
  members: DemoMember[];
  stories: DemoStory[];
}

const TENANTS: DemoTenant[] = [
  {
    name: 'The Martin Family',
    type: 'family',
    plan: 'free',
    members: [
      { name: 'Camille Martin', profile: 'tenantAdmin', kind: 'adult', email: 'camille@example.com', avatar: 'owl' },
      { name: 'Alex Martin', profile: 'parentCreator', kind: 'adult', email: 'alex@example.com', avatar: 'bear' },
      { name: 'Léa', profile: 'kidsListenOnly', kind: 'kid', avatar: 'fox' },
      { name: 'Noé', profile: 'kidsListenOnly', kind: 'kid', avatar: 'turtle' },
    ],
    stories: FAMILY_STORIES,
  },
  {
    name: 'Les Tilleuls Primary School',
    type: 'institution',
    plan: 'institution',
    members: [
      { name: 'Ms Dubois', profile: 'tenantAdmin', kind: 'adult', email: 'dubois@example.com', avatar: 'heron' },
      { name: 'Sam', profile: 'kidsListenOnly', kind: 'kid', avatar: 'otter' },
    ],
    stories: SCHOOL_STORIES,
  },
];

/**
 * Seeds when this is the first start and seeding is enabled. Returns the demo
 * accounts and the agent tasks it created, or null when this was not the
 * first start (or seeding is off, in which case the first-start marker is
 * cleared all the same).
 */
export async function seedDemoOnFirstStart(ownerUrl: string, enabled: boolean): Promise<DemoSeed | null> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'talemo-seed' });
  await client.connect();
  try {
    await client.query('BEGIN');
    const marker = await client.query(`SELECT 1 FROM instance_meta WHERE key = 'first_start_pending' FOR UPDATE`);
    if (marker.rowCount === 0) {
      await client.query('ROLLBACK');
      return null;
    }
    const accounts = enabled ? await seed(client) : null;
    await client.query(`DELETE FROM instance_meta WHERE key = 'first_start_pending'`);
    await client.query(
      `INSERT INTO instance_meta (key, value) VALUES ('demo_seeded', $1::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [JSON.stringify({ seeded: enabled, at: new Date().toISOString() })],
    );
    await client.query('COMMIT');
    return accounts;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

async function seed(client: pg.Client): Promise<DemoSeed> {
  const tagIds = new Map<string, string>();
  for (const tag of DEMO_TAGS) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO tags (name, slug, category) VALUES ($1, $2, $3)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [tag.name, tag.slug, tag.category],
    );
    tagIds.set(tag.slug, rows[0]!.id);
  }

  const result: DemoSeed = { accounts: [], tasks: [] };
  for (const tenant of TENANTS) {
    const seeded = await seedTenant(client, tenant, tagIds);
    result.accounts.push(...seeded.accounts);
    result.tasks.push(...seeded.tasks);
  }
  return result;
}

async function seedTenant(client: pg.Client, tenant: DemoTenant, tagIds: Map<string, string>): Promise<DemoSeed> {
  const tenantId = randomUUID();
  // The owner obeys RLS too (FORCE), so it works inside the tenant's context.
  await client.query(`SELECT set_config('app.tenant', $1, true)`, [tenantId]);
  const tx = clientTx(client);
  const [first, ...others] = tenant.members;
  const created = await createTenant(tx, tenantId, {
    name: tenant.name,
    type: tenant.type,
    plan: tenant.plan,
    admin: { email: first!.email ?? null, displayName: first!.name },
  });
  await tx.execute('UPDATE users SET avatar = $2 WHERE id = $1', [created.adminUserId, first!.avatar]);

  const accounts: DemoAccount[] = [];
  const tasks: DemoTask[] = [];
  const addAccount = async (member: DemoMember, userId: string) => {
    const account: DemoAccount = { tenant: tenant.name, name: member.name, profile: DEFAULT_PROFILES[member.profile].name };
    if (member.email) {
      const password = randomBytes(9).toString('base64url');
      await tx.execute('INSERT INTO user_credentials (user_id, tenant_id, password_hash) VALUES ($1, $2, $3)', [userId, tenantId, await hashPassword(password)]);
      Object.assign(account, { email: member.email, password });
    }
    accounts.push(account);
  };
  await addAccount(first!, created.adminUserId);
  for (const member of others) {
    const row = await tx.one<{ id: string }>(
      `INSERT INTO users (tenant_id, profile_id, kind, email, display_name, avatar) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [tenantId, created.profileIds[member.profile], member.kind, member.email ?? null, member.name, member.avatar],
    );
    await addAccount(member, row.id);
  }

  for (const story of tenant.stories) {
    const row = await tx.one<{ id: string }>(
      `INSERT INTO stories (tenant_id, title, description, content, language, age_range, visibility, is_published,
                            moderation_status, created_by, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, true, 'approved', $8, now()) RETURNING id`,
      [tenantId, story.title, story.description, story.content, story.language, story.ageRange, story.visibility, created.adminUserId],
    );
    for (const slug of story.tags) {
      await tx.execute('INSERT INTO story_tags (tenant_id, story_id, tag_id) VALUES ($1, $2, $3)', [tenantId, row.id, tagIds.get(slug)]);
    }
    // Demo stories should play: ask the worker for their narration and cover.
    for (const agentType of ['TTSAgent', 'IllustratorAgent'] as const) {
      const task = await tx.one<{ id: string }>(
        `INSERT INTO agent_tasks (tenant_id, agent_type, story_id, input, requested_by) VALUES ($1, $2, $3, '{}', $4) RETURNING id`,
        [tenantId, agentType, row.id, created.adminUserId],
      );
      tasks.push({ id: task.id, tenantId, agentType, requestedBy: created.adminUserId });
    }
  }
  return { accounts, tasks };
}
