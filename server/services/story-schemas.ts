/**
 * What the story endpoints accept. Objects are strict: an unknown field is a
 * 400 naming it, never silently dropped. Field names follow the table
 * (snake_case), as the synced rows do.
 */
import { z } from 'zod';
import { AGE_RANGES, languageTag } from '../../shapes/permissions.ts';
import { pageQueryFields } from './pagination.ts';
import { lineText, multilineText } from '../../shapes/text-fields.ts';

export const VISIBILITIES = ['public', 'tenant_only', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

const ageRange = z.enum(AGE_RANGES, { message: `must be one of ${AGE_RANGES.join(', ')}` });
const visibility = z.enum(VISIBILITIES, { message: `must be one of ${VISIBILITIES.join(', ')}` });
export const tagSlug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a tag slug such as "bedtime"').max(60, 'must be at most 60 characters');
const title = lineText(200, 1);
const description = multilineText(2000);
const content = multilineText(100_000);
const tags = z.array(tagSlug).max(20, 'must list at most 20 tags');
const assetRef = z.string().uuid('must be an asset id (a UUID)').nullable();
const duration = z.number().int('must be a whole number of seconds').min(0, 'must not be negative').max(86_400, 'must be at most 86400').nullable();

export const createStoryBody = z
  .object({
    title,
    description: description.default(''),
    content: content.default(''),
    language: languageTag,
    age_range: ageRange,
    tags: tags.default([]),
    visibility: visibility.default('private'),
    is_published: z.boolean({ message: 'must be true or false' }).default(false),
    image_asset_id: assetRef.default(null),
    audio_asset_id: assetRef.default(null),
    duration_seconds: duration.default(null),
  })
  .strict();
export type CreateStoryInput = z.output<typeof createStoryBody>;

/**
 * PUT replaces the text fields, which are therefore all required. Media
 * fields are optional: absent leaves them as they are, null clears them.
 */
export const updateStoryBody = z
  .object({
    title,
    description,
    content,
    language: languageTag,
    age_range: ageRange,
    tags,
    image_asset_id: assetRef.optional(),
    audio_asset_id: assetRef.optional(),
    duration_seconds: duration.optional(),
  })
  .strict();
export type UpdateStoryInput = z.output<typeof updateStoryBody>;

export const storyVisibilityBody = z
  .object({
    visibility,
    /** Optional: publish or unpublish in the same change. */
    is_published: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .strict();
export type StoryVisibilityInput = z.output<typeof storyVisibilityBody>;

const tagList = z
  .string()
  .max(620, 'must list at most 10 tags')
  .transform((v, ctx) => {
    const slugs = v.split(',').map((x) => x.trim()).filter(Boolean);
    if (slugs.length > 10) ctx.addIssue({ code: 'custom', message: 'must list at most 10 tags' });
    for (const slug of slugs) if (!tagSlug.safeParse(slug).success) ctx.addIssue({ code: 'custom', message: `"${slug.slice(0, 60)}" is not a tag slug` });
    return slugs;
  });

export const STORY_SCOPES = ['all', 'tenant', 'public'] as const;

export const listStoriesQuery = z
  .object({
    tags: tagList.optional().describe('Comma-separated tag slugs; a story must have every one.'),
    age_range: ageRange.optional(),
    language: languageTag.optional(),
    visibility: visibility.optional(),
    scope: z.enum(STORY_SCOPES, { message: 'must be all, tenant or public' }).default('all').describe('tenant: this family or school; public: other tenants\' public library; all: both.'),
    ...pageQueryFields,
  })
  .strict();
export type ListStoriesQuery = z.output<typeof listStoriesQuery>;

export const searchStoriesQuery = z
  .object({
    q: lineText(200, 1).describe('Words to look for in titles, descriptions, text and tags.'),
    age_range: ageRange.optional(),
    language: languageTag.optional(),
    ...pageQueryFields,
  })
  .strict();
export type SearchStoriesQuery = z.output<typeof searchStoriesQuery>;
