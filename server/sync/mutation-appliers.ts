/**
 * How each mutation type of sync/mutations.ts is applied: through the same
 * domain service and permission checks as its REST route, with the input
 * checked by that route's own schema. What a device sends differs from REST
 * in two ways, handled here and nowhere else:
 *
 * - edits are partial (only the fields the person changed), while REST edits
 *   replace the whole record: the current record is read and locked, the
 *   change laid over it, and the whole passed to the service;
 * - new rows keep the id the device made (device-row-marks.ts), and every
 *   written row carries the mutation's write_id.
 *
 * Each applier runs inside the mutation's transaction (the services join it,
 * joined-database.ts). A returned string is a note for an accepted answer.
 */
import type { z } from 'zod';
import type { Mutation, MutationPayload } from '../../sync/mutations.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { fieldErrorsFrom } from '../http/validation.ts';
import { triggerAgentBody } from '../services/agent-task-input.ts';
import type { AgentTaskService } from '../services/agent-task-service.ts';
import type { Actor } from '../services/authorization.ts';
import type { PolicyService } from '../services/policy-service.ts';
import { updateProfileBody } from '../services/profile-schemas.ts';
import type { ProfileService } from '../services/profile-service.ts';
import { createStoryBody, updateStoryBody } from '../services/story-schemas.ts';
import type { StoryService } from '../services/story-service.ts';
import { adoptDeviceId, setReadingLevel, stampWriteId } from './device-row-marks.ts';
import type { HeldHandOffs } from './held-hand-offs.ts';
import type { ListeningEventService } from './listening-event-service.ts';

export interface DeviceWriteServices {
  stories: StoryService;
  profiles: ProfileService;
  policies: PolicyService;
  agents: AgentTaskService;
  listening: ListeningEventService;
}

export interface ApplyContext {
  services: DeviceWriteServices;
  actor: Actor;
  viewer: Viewer;
  /** The mutation's transaction (the services run in it too). */
  tx: Tx;
  held: HeldHandOffs;
}

export async function applyMutation(m: Mutation, ctx: ApplyContext): Promise<string | undefined> {
  switch (m.type) {
    case 'listening_event.insert':
      await ctx.services.listening.record(ctx.actor, m.payload, { writeId: m.write_id });
      return undefined;
    case 'story.upsert_draft':
      return upsertDraft(m.payload, m.write_id, ctx);
    case 'story.set_visibility':
      await ctx.services.stories.setVisibility(ctx.actor, m.payload.id, { visibility: m.payload.visibility, is_published: m.payload.is_published });
      await stampWriteId(ctx.tx, 'stories', ctx.viewer.tenantId, m.payload.id, m.write_id);
      return undefined;
    case 'story.delete':
      return deleteStory(m.payload.id, ctx);
    case 'profile.update':
      return updateProfile(m.payload, m.write_id, ctx);
    case 'policy.set':
      await ctx.services.policies.update(ctx.actor, m.payload.key, m.payload.value);
      await stampWriteId(ctx.tx, 'tenant_policies', ctx.viewer.tenantId, m.payload.key, m.write_id);
      return undefined;
    case 'agent_task.request':
      return requestAgentTask(m.payload, m.write_id, ctx);
  }
}

async function upsertDraft(p: MutationPayload<'story.upsert_draft'>, writeId: string, ctx: ApplyContext): Promise<undefined> {
  const { tx, viewer, actor, services } = ctx;
  // Locked for the rest of the transaction, so fields this change leaves
  // alone cannot be overwritten with values read before another writer's.
  const existing = await tx.maybeOne('SELECT 1 FROM stories WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [viewer.tenantId, p.id]);
  if (!existing) {
    const missing = Object.fromEntries((['title', 'age_range'] as const).filter((f) => p[f] === undefined).map((f) => [`payload.${f}`, ['is needed to create a new story']]));
    if (Object.keys(missing).length > 0) throw HttpError.invalid(missing);
    const input = validated(createStoryBody, { title: p.title, description: p.description, content: p.content, language: p.language ?? 'en', age_range: p.age_range });
    const created = await services.stories.create(actor, input, { writeId });
    await adoptDeviceId(tx, 'stories', viewer.tenantId, created.id, p.id);
  } else {
    const current = await services.stories.get(actor, p.id);
    const input = validated(updateStoryBody, {
      title: p.title ?? current.title,
      description: p.description ?? current.description,
      content: p.content ?? current.content ?? '',
      language: p.language ?? current.language,
      age_range: p.age_range ?? current.age_range,
      tags: current.tags.map((t) => t.slug),
    });
    await services.stories.update(actor, p.id, input);
  }
  if (p.reading_level !== undefined) await setReadingLevel(tx, viewer.tenantId, p.id, p.reading_level);
  await stampWriteId(tx, 'stories', viewer.tenantId, p.id, writeId);
  return undefined;
}

/** Deleting what is already gone leaves things as the person wanted: accepted, with a note. */
async function deleteStory(id: string, ctx: ApplyContext): Promise<string | undefined> {
  try {
    await ctx.services.stories.delete(ctx.actor, id);
    return undefined;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return 'This story was already deleted.';
    throw err;
  }
}

async function updateProfile(p: MutationPayload<'profile.update'>, writeId: string, ctx: ApplyContext): Promise<undefined> {
  const { tx, viewer, actor, services } = ctx;
  await tx.maybeOne('SELECT 1 FROM profiles WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [viewer.tenantId, p.id]);
  const current = await services.profiles.get(actor, p.id);
  const input = validated(updateProfileBody, {
    name: p.name ?? current.name,
    description: p.description ?? current.description,
    permissions: p.permissions ?? current.permissions,
  });
  await services.profiles.update(actor, p.id, input);
  await stampWriteId(tx, 'profiles', viewer.tenantId, p.id, writeId);
  return undefined;
}

async function requestAgentTask(p: MutationPayload<'agent_task.request'>, writeId: string, ctx: ApplyContext): Promise<undefined> {
  const { tx, viewer, actor, services, held } = ctx;
  const request = validated(triggerAgentBody, { agent_type: p.agent_type, ...(p.story_id ? { story_id: p.story_id } : {}), input: p.input });
  const task = await services.agents.trigger(actor, request);
  await adoptDeviceId(tx, 'agent_tasks', viewer.tenantId, task.id, p.id);
  // The worker learns of the task only after commit, by the device's id.
  for (const ref of held.agentTasks) if (ref.id === task.id) ref.id = p.id;
  await stampWriteId(tx, 'agent_tasks', viewer.tenantId, p.id, writeId);
  return undefined;
}

/** Checks a service input with its REST schema; errors name payload fields. */
function validated<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw HttpError.invalid(fieldErrorsFrom(parsed.error, 'payload'));
  return parsed.data;
}
