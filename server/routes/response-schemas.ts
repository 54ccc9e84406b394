/**
 * The shapes the API answers with, for the OpenAPI document. Field names
 * are the table columns (snake_case), as in the synced rows. Times are ISO
 * 8601 strings.
 */
import { z } from '@hono/zod-openapi';

const time = z.string().openapi({ format: 'date-time' });
const uuid = z.string().openapi({ format: 'uuid' });

export const storySchema = z
  .object({
    id: uuid,
    tenant_id: uuid,
    title: z.string(),
    description: z.string(),
    content: z.string().optional().openapi({ description: 'Detail only; lists leave the text out.' }),
    language: z.string(),
    age_range: z.string(),
    duration_seconds: z.number().nullable(),
    reading_level: z.string().nullable(),
    image_asset_id: uuid.nullable(),
    audio_asset_id: uuid.nullable(),
    created_by: uuid.nullable(),
    visibility: z.enum(['public', 'tenant_only', 'private']),
    is_published: z.boolean(),
    moderation_status: z.enum(['pending', 'approved', 'flagged', 'rejected']),
    moderation_reasons: z.array(z.string()),
    tags: z.array(z.object({ slug: z.string(), name: z.string(), category: z.string() })),
    created_at: time,
    updated_at: time,
    published_at: time.nullable(),
    from_other_tenant: z.boolean(),
  })
  .openapi('Story');

export const rankedStorySchema = storySchema.extend({ rank: z.number() }).openapi('RankedStory');

export const assetSchema = z
  .object({
    id: uuid,
    tenant_id: uuid,
    type: z.enum(['image', 'audio']),
    mime_type: z.string(),
    size_bytes: z.number(),
    checksum_sha256: z.string(),
    source_task_id: uuid.nullable(),
    created_by: uuid.nullable(),
    metadata: z.record(z.string(), z.unknown()),
    created_at: time,
    from_other_tenant: z.boolean(),
  })
  .openapi('Asset');

export const signedUrlSchema = z
  .object({ url: z.string().openapi({ format: 'uri' }), expires_at: time, mime_type: z.string(), size_bytes: z.number() })
  .openapi('SignedAssetUrl');

export const usageSchema = z
  .object({
    used_bytes: z.number(),
    asset_count: z.number(),
    by_type: z.object({ image: z.object({ count: z.number(), bytes: z.number() }), audio: z.object({ count: z.number(), bytes: z.number() }) }),
    quota_bytes: z.number(),
    remaining_bytes: z.number(),
    max_upload_bytes: z.number(),
  })
  .openapi('TenantUsage');

const taskFields = {
  id: uuid,
  agent_type: z.string(),
  status: z.enum(['pending', 'processing', 'completed', 'failed']),
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  story_id: uuid.nullable(),
  parent_task_id: uuid.nullable(),
  requested_by: uuid.nullable(),
  created_at: time,
  started_at: time.nullable(),
  completed_at: time.nullable(),
  updated_at: time,
};
export const agentTaskSchema = z.object(taskFields).openapi('AgentTask');
export const agentTaskDetailSchema = z.object({ ...taskFields, stages: z.array(agentTaskSchema) }).openapi('AgentTaskDetail');

export const agentQuotaSchema = z
  .object({
    plan: z.string(),
    period: z.object({ start: time, end: time }),
    story_quota: z.object({ limit: z.number(), used: z.number(), remaining: z.number() }),
    llm_usage: z.object({
      prompt_tokens: z.number(),
      completion_tokens: z.number(),
      cost_usd: z.number(),
      by_purpose: z.array(z.object({ purpose: z.string(), prompt_tokens: z.number(), completion_tokens: z.number(), cost_usd: z.number() })),
    }),
  })
  .openapi('AgentQuota');

export const tenantSchema = z
  .object({
    id: uuid,
    name: z.string(),
    type: z.enum(['family', 'institution']),
    plan: z.string(),
    created_at: time,
    updated_at: time,
    members: z.object({ active: z.number(), total: z.number() }),
    subscription: z
      .object({ plan: z.string(), status: z.enum(['active', 'trialing', 'past_due', 'canceled', 'expired']), start_date: time, end_date: time.nullable(), payment_provider: z.string() })
      .nullable()
      .openapi({ description: 'The running subscription, else the most recent one whatever its status (a cancelled plan shows as such).' }),
    limits: z
      .object({ story_quota: z.number(), max_users: z.number(), storage_quota_mb: z.number(), max_upload_mb: z.number() })
      .openapi({ description: 'The plan limits in force: the plan’s defaults, or the tenant’s own settings of those policies.' }),
  })
  .openapi('Tenant');

export const policyEntrySchema = z
  .object({ key: z.string(), value: z.unknown(), default: z.unknown(), is_set: z.boolean(), updated_at: time.nullable(), updated_by: uuid.nullable() })
  .openapi('PolicyEntry');

export const profileSchema = z
  .object({
    id: uuid,
    name: z.string(),
    description: z.string(),
    permissions: z.unknown(),
    is_default: z.boolean(),
    user_count: z.number(),
    created_at: time,
    updated_at: time,
  })
  .openapi('Profile');

export const memberSchema = z
  .object({
    id: uuid,
    kind: z.enum(['adult', 'kid']),
    email: z.string().nullable(),
    display_name: z.string(),
    avatar: z.string().nullable(),
    profile_id: uuid,
    profile_name: z.string(),
    is_active: z.boolean(),
    last_login: time.nullable(),
    created_at: time,
    updated_at: time,
  })
  .openapi('Member');

export const auditLogSchema = z
  .object({
    seq: z.number(),
    occurred_at: time,
    actor_id: uuid.nullable(),
    actor_kind: z.string(),
    action: z.string(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.string().nullable(),
    request_id: z.string().nullable(),
    hash: z.string(),
  })
  .openapi('AuditLogEntry');

export const tenantStatsSchema = z
  .object({
    members: z.object({ total: z.number(), active: z.number(), adults: z.number(), kids: z.number() }),
    profiles: z.number(),
    stories: z.object({ total: z.number(), published: z.number(), drafts: z.number(), public: z.number(), awaiting_moderation: z.number() }),
    assets: z.object({ count: z.number(), bytes: z.number(), quota_bytes: z.number() }),
    agent_tasks_this_month: z.record(z.string(), z.number()),
    listening_last_30_days: z.object({ events: z.number(), listeners: z.number(), stories: z.number() }),
  })
  .openapi('TenantStats');

const webhookFields = {
  id: uuid,
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  is_active: z.boolean(),
  created_by: uuid.nullable(),
  created_at: time,
  updated_at: time,
};
export const webhookSchema = z.object(webhookFields).openapi('Webhook');
export const createdWebhookSchema = z
  .object({ ...webhookFields, secret: z.string().openapi({ description: 'Signs every delivery (Talemo-Signature). Shown only in this response.' }) })
  .openapi('CreatedWebhook');

export const deliverySchema = z
  .object({
    id: uuid,
    event_id: uuid,
    event_type: z.string(),
    attempt: z.number(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    response_status: z.number().nullable(),
    response_excerpt: z.string().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().nullable(),
    attempted_at: time,
    next_attempt_at: time.nullable(),
    payload: z.unknown(),
  })
  .openapi('WebhookDelivery');

export const deletedSchema = z.object({ id: uuid });
