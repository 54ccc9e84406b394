/**
 * What each agent accepts from POST /api/agents/trigger, validated before a
 * row is written. The body is `{ agent_type, story_id?, input }`, one strict
 * shape per agent type.
 *
 * A story generation request is a `QuotaAgent` task, the pipeline's first
 * stage (quota → moderation → metadata → TTS ∥ illustration → publish). Its
 * row records everything the pipeline needs: the story it works on (a new
 * private draft made from `input.story`, or an existing `story_id`), the
 * voice, the illustration style and how to publish the result. The worker
 * adds one child row per later stage (`parent_task_id`).
 */
import { z } from 'zod';
import { AGE_RANGES, languageTag } from '../../shapes/permissions.ts';
import { VISIBILITIES, tagSlug } from './story-schemas.ts';
import { lineText, multilineText } from '../../shapes/text-fields.ts';

export const AGENT_TYPES = [
  'SearchAgent', 'ModerationAgent', 'TTSAgent', 'IllustratorAgent', 'MetadataAgent',
  'QuotaAgent', 'PersonalizationAgent', 'StoryCompanion', 'SearchAssistant',
] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

/** The agent type whose task is a whole story generation request. */
export const STORY_PIPELINE_ROOT: AgentType = 'QuotaAgent';

const ageRange = z.enum(AGE_RANGES, { message: `must be one of ${AGE_RANGES.join(', ')}` });
const storyId = z.string().uuid('must be a story id (a UUID)');
const voice = z.string().regex(/^[A-Za-z0-9 _.+-]{1,60}$/, 'must be a voice name of letters, digits, spaces, dots, pluses or hyphens (at most 60)');

export const storyDraft = z
  .object({
    title: lineText(200, 1),
    description: multilineText(2000).default(''),
    content: multilineText(100_000, 1),
    language: languageTag,
    age_range: ageRange,
    tags: z.array(tagSlug).max(20, 'must list at most 20 tags').default([]),
  })
  .strict();

export const storyGenerationInput = z
  .object({
    /** The text to turn into a story; leave out when `story_id` names an existing one. */
    story: storyDraft.optional(),
    voice: voice.optional(),
    illustration_style: lineText(100, 1).optional(),
    publish: z
      .object({
        is_published: z.boolean({ message: 'must be true or false' }).default(true),
        visibility: z.enum(VISIBILITIES, { message: `must be one of ${VISIBILITIES.join(', ')}` }).default('tenant_only'),
      })
      .strict()
      .default({ is_published: true, visibility: 'tenant_only' }),
  })
  .strict();
export type StoryGenerationInput = z.output<typeof storyGenerationInput>;

const empty = z.object({}).strict().default({});

export const triggerAgentBody = z.discriminatedUnion(
  'agent_type',
  [
    z.object({ agent_type: z.literal('QuotaAgent'), story_id: storyId.optional(), input: storyGenerationInput }).strict(),
    z.object({ agent_type: z.literal('ModerationAgent'), story_id: storyId, input: empty }).strict(),
    z.object({ agent_type: z.literal('MetadataAgent'), story_id: storyId, input: empty }).strict(),
    z.object({ agent_type: z.literal('TTSAgent'), story_id: storyId, input: z.object({ voice: voice.optional() }).strict().default({}) }).strict(),
    z
      .object({
        agent_type: z.literal('IllustratorAgent'),
        story_id: storyId,
        input: z.object({ style: lineText(100, 1).optional() }).strict().default({}),
      })
      .strict(),
    z
      .object({
        agent_type: z.literal('SearchAgent'),
        input: z
          .object({
            query: lineText(200, 1),
            age_range: ageRange.optional(),
            language: languageTag.optional(),
          })
          .strict(),
      })
      .strict(),
    z
      .object({
        agent_type: z.literal('SearchAssistant'),
        input: z.object({ question: lineText(500, 1), language: languageTag.optional() }).strict(),
      })
      .strict(),
    z
      .object({
        agent_type: z.literal('StoryCompanion'),
        input: z
          .object({
            messages: z
              .array(
                z
                  .object({
                    role: z.enum(['user', 'assistant'], { message: 'must be user or assistant' }),
                    content: multilineText(4000, 1),
                  })
                  .strict(),
              )
              .min(1, 'must hold at least one message')
              .max(50, 'must hold at most 50 messages'),
            language: languageTag.optional(),
            age_range: ageRange.optional(),
          })
          .strict(),
      })
      .strict(),
    z
      .object({
        agent_type: z.literal('PersonalizationAgent'),
        input: z
          .object({
            /** The member to recommend for (a kid, say); the requester when absent. */
            user_id: z.string().uuid('must be a member id (a UUID)').optional(),
            limit: z.number().int('must be a whole number').min(1, 'must be from 1 to 50').max(50, 'must be from 1 to 50').default(10),
          })
          .strict(),
      })
      .strict(),
  ],
  { message: `must be one of ${AGENT_TYPES.join(', ')}` },
);
export type TriggerAgentInput = z.output<typeof triggerAgentBody>;

export const listAgentTasksQueryFields = {
  status: z.enum(['pending', 'processing', 'completed', 'failed'], { message: 'must be pending, processing, completed or failed' }).optional(),
  agent_type: z.enum(AGENT_TYPES, { message: `must be one of ${AGENT_TYPES.join(', ')}` }).optional(),
  story_id: storyId.optional(),
};
