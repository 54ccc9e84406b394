/**
 * The mutation-batch contract between a device's outbox and
 * `POST /api/sync/mutations`. Both ends import this file: the device builds
 * batches with it, the server validates them with it. See sync/README.md
 * ("Mutations") for the rules the server follows.
 *
 * The batch envelope is validated strictly (a malformed batch is a 400), but
 * each mutation's type and payload are validated one by one with
 * `parseMutation`, so one bad mutation is answered `rejected` with a field
 * message instead of blocking every write queued behind it on the device.
 */
import { z } from 'zod';
import { AGE_RANGES, languageTag, profilePermissionsSchema } from '../shapes/permissions.ts';
import { lineText, multilineText } from '../shapes/text-fields.ts';

/** Most mutations one batch may carry; devices send larger outboxes in several batches. */
export const MAX_MUTATIONS_PER_BATCH = 100;

const uuid = z.uuid({ message: 'must be a UUID' });
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, like 2026-05-01T19:30:00Z' });

export const STORY_VISIBILITIES = ['public', 'tenant_only', 'private'] as const;
export const READING_LEVELS = ['pre-reader', 'early', 'developing', 'fluent', 'advanced'] as const;
export const LISTENING_EVENT_KINDS = ['start', 'progress', 'pause', 'resume', 'seek', 'complete', 'stop'] as const;
/**
 * Agents a device may ask for through the outbox: `QuotaAgent` is a whole
 * story generation request (the pipeline's root), `StoryCompanion` a chat
 * turn. Later pipeline stages are started by the server.
 */
export const REQUESTABLE_AGENTS = ['QuotaAgent', 'StoryCompanion', 'TTSAgent', 'IllustratorAgent', 'SearchAssistant', 'PersonalizationAgent'] as const;

// The same text rules as the REST schemas: Postgres cannot store NUL, and
// single-line fields take no control characters at all.
const title = lineText(200, 1);
const description = multilineText(2000);
const content = multilineText(100_000);

/** Payload schemas, one per mutation type. Column names are the server's. */
export const mutationPayloads = {
  /** Append-only listening progress. `id` is the event's own id, made on the device. */
  'listening_event.insert': z
    .object({
      id: uuid,
      story_id: uuid,
      device_id: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
      position_seconds: z.number({ message: 'must be a number' }).min(0, 'must not be negative').max(100_000_000, 'is too large'),
      event_kind: z.enum(LISTENING_EVENT_KINDS, { message: `must be one of ${LISTENING_EVENT_KINDS.join(', ')}` }),
      occurred_at: isoTime,
    })
    .strict(),
  /**
   * Creates a draft with this id when none exists (then `title` and
   * `age_range` are required), otherwise edits the fields given of a story
   * the viewer may edit. Absent fields are left as they are.
   */
  'story.upsert_draft': z
    .object({
      id: uuid,
      title: title.optional(),
      description: description.optional(),
      content: content.optional(),
      language: languageTag.optional(),
      age_range: z.enum(AGE_RANGES, { message: `must be one of ${AGE_RANGES.join(', ')}` }).optional(),
      reading_level: z.enum(READING_LEVELS, { message: `must be one of ${READING_LEVELS.join(', ')}` }).nullable().optional(),
    })
    .strict(),
  /** Publishes or unpublishes and sets who may see it (stories.publish, own stories). */
  'story.set_visibility': z
    .object({
      id: uuid,
      visibility: z.enum(STORY_VISIBILITIES, { message: `must be one of ${STORY_VISIBILITIES.join(', ')}` }),
      is_published: z.boolean({ message: 'must be true or false' }),
    })
    .strict(),
  /** Deletes a story; needs stories.delete, as DELETE /api/stories/:id does. */
  'story.delete': z.object({ id: uuid }).strict(),
  /** Edits a profile (profiles.manage). Absent fields are left as they are. */
  'profile.update': z
    .object({
      id: uuid,
      name: lineText(80, 1).optional(),
      description: multilineText(500).optional(),
      permissions: profilePermissionsSchema.optional(),
    })
    .strict(),
  /** Sets one tenant policy (policies.manage); `value` is checked by shapes/policies.ts `validatePolicy`. */
  'policy.set': z
    .object({
      key: z.string({ message: 'must be text' }).regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a policy key like max_volume'),
      value: z.unknown(),
    })
    .strict(),
  /**
   * Asks the agents for work (agents.trigger); `id` becomes the agent_tasks
   * row id. `story_id` and `input` follow the same per-agent rules as
   * `POST /api/agents/trigger` (server/services/agent-task-input.ts), which
   * the server applies.
   */
  'agent_task.request': z
    .object({
      id: uuid,
      agent_type: z.enum(REQUESTABLE_AGENTS, { message: `must be one of ${REQUESTABLE_AGENTS.join(', ')}` }),
      story_id: uuid.nullable().optional(),
      input: z.record(z.string(), z.unknown()),
    })
    .strict(),
} as const;

export type MutationType = keyof typeof mutationPayloads;
export const MUTATION_TYPES = Object.keys(mutationPayloads) as MutationType[];

export type MutationPayload<T extends MutationType> = z.output<(typeof mutationPayloads)[T]>;

/** One typed mutation, after `parseMutation`. */
export type Mutation = { [T in MutationType]: { write_id: string; type: T; payload: MutationPayload<T>; created_at?: string } }[MutationType];

/** A mutation as it travels: type and payload are checked per mutation (see `parseMutation`). */
export const wireMutationSchema = z
  .object({
    /** Made on the device; the idempotency key, stored on the written row so it syncs back. */
    write_id: uuid,
    type: z.string({ message: 'must be text' }).min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
    payload: z.unknown(),
    /** When the person made the change, by the device's clock. Informational only. */
    created_at: isoTime.optional(),
  })
  .strict();

export type WireMutation = z.output<typeof wireMutationSchema>;

export const mutationBatchSchema = z
  .object({
    /** The device's stable id (the same one listening events carry). */
    device_id: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
    mutations: z
      .array(wireMutationSchema)
      .min(1, 'must hold at least one mutation')
      .max(MAX_MUTATIONS_PER_BATCH, `must hold at most ${MAX_MUTATIONS_PER_BATCH} mutations`)
      .refine((ms) => new Set(ms.map((m) => m.write_id)).size === ms.length, { message: 'must not repeat a write_id' }),
  })
  .strict();

export type MutationBatch = z.output<typeof mutationBatchSchema>;

export type ParsedMutation = { ok: true; mutation: Mutation } | { ok: false; message: string; errors: Record<string, string[]> };

/** Checks one mutation's type and payload; errors name the payload field. */
export function parseMutation(wire: WireMutation): ParsedMutation {
  if (!Object.hasOwn(mutationPayloads, wire.type)) {
    return { ok: false, message: `Unknown mutation type "${wire.type}"; this device may need an update.`, errors: { type: [`must be one of ${MUTATION_TYPES.join(', ')}`] } };
  }
  const type = wire.type as MutationType;
  const parsed = mutationPayloads[type].safeParse(wire.payload);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[['payload', ...issue.path.map(String)].join('.')] ??= []).push(issue.message);
    const first = Object.entries(errors)[0]!;
    return { ok: false, message: `The change could not be saved: ${first[0].replace(/^payload\./, '')} ${first[1][0]}.`, errors };
  }
  return { ok: true, mutation: { write_id: wire.write_id, type, payload: parsed.data, created_at: wire.created_at } as Mutation };
}

export const MUTATION_STATUSES = ['accepted', 'rejected', 'retry'] as const;
export type MutationStatus = (typeof MUTATION_STATUSES)[number];

/**
 * The answer for one mutation.
 * - accepted: applied now, or earlier (a replayed write_id changes nothing and is accepted again).
 * - rejected: will never apply; `message` says why in words a person can act on.
 * - retry: not applied this time (a passing failure); send it again later, in order.
 */
export const mutationResultSchema = z
  .object({
    write_id: uuid,
    status: z.enum(MUTATION_STATUSES),
    message: z.string().optional(),
    /** Field errors for a rejected payload, keyed like `payload.title`. */
    errors: z.record(z.string(), z.array(z.string())).optional(),
    /** The row as the server wrote it (server column names), for accepted writes. */
    row: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type MutationResult = z.output<typeof mutationResultSchema>;

/** `data` of the 200 response (inside the usual `{status, data, message, errors}` envelope). */
export const mutationBatchResponseSchema = z.object({ results: z.array(mutationResultSchema) }).strict();
export type MutationBatchResponse = z.output<typeof mutationBatchResponseSchema>;

/** The server table and primary-key value a mutation writes, for outbox bookkeeping. */
export function mutationTarget(m: Mutation): { table: string; key: string } {
  switch (m.type) {
    case 'listening_event.insert':
      return { table: 'listening_events', key: m.payload.id };
    case 'story.upsert_draft':
    case 'story.set_visibility':
    case 'story.delete':
      return { table: 'stories', key: m.payload.id };
    case 'profile.update':
      return { table: 'profiles', key: m.payload.id };
    case 'policy.set':
      return { table: 'tenant_policies', key: m.payload.key };
    case 'agent_task.request':
      return { table: 'agent_tasks', key: m.payload.id };
  }
}
