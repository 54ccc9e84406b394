/**
 * The permission vocabulary. A profile (a permission template such as "Kids
 * Listen-Only") holds a `ProfilePermissions` object; every user on that
 * profile gets exactly those permissions — there are no per-user tweaks.
 *
 * Actions:
 * | action           | allows                                                   |
 * |------------------|----------------------------------------------------------|
 * | stories.read     | listing, reading and playing stories the viewer may see  |
 * | stories.create   | drafting stories and editing one's own                   |
 * | stories.publish  | publishing and changing visibility of one's own stories  |
 * | stories.delete   | deleting any story of the tenant                         |
 * | agents.trigger   | asking the agents for work (generation, companion, …)    |
 * | assets.upload    | uploading images and audio                               |
 * | profiles.manage  | creating, editing, deleting and assigning profiles       |
 * | policies.manage  | changing tenant policies                                 |
 * | users.manage     | inviting, editing and deactivating members; pairing kids |
 * | audit.read       | reading the audit log                                    |
 *
 * Content limits narrow what `stories.read` shows: `ageRanges` and
 * `languages`, where `null` means no limit.
 */
import { z } from 'zod';

export const ACTIONS = [
  'stories.read',
  'stories.create',
  'stories.publish',
  'stories.delete',
  'agents.trigger',
  'assets.upload',
  'profiles.manage',
  'policies.manage',
  'users.manage',
  'audit.read',
] as const;

export type Action = (typeof ACTIONS)[number];

export const AGE_RANGES = ['0-3', '4-6', '7-9', '10-12', '13+'] as const;
export type AgeRange = (typeof AGE_RANGES)[number];

/** BCP 47 primary language tags the product ships voices and UI for. */
export const LANGUAGES = ['en', 'fr'] as const;

export const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language tag such as "en" or "fr"');

export const profilePermissionsSchema = z
  .object({
    actions: z.array(z.enum(ACTIONS, { message: `must be one of ${ACTIONS.join(', ')}` })).max(ACTIONS.length),
    limits: z
      .object({
        ageRanges: z.array(z.enum(AGE_RANGES, { message: `must be one of ${AGE_RANGES.join(', ')}` })).min(1, 'must allow at least one age range').nullable(),
        languages: z.array(languageTag).min(1, 'must allow at least one language').nullable(),
      })
      .strict(),
  })
  .strict()
  .transform((p) => ({ ...p, actions: [...new Set(p.actions)].sort() as Action[] }));

export type ProfilePermissions = z.output<typeof profilePermissionsSchema>;

export interface DefaultProfile {
  name: string;
  description: string;
  permissions: ProfilePermissions;
}

/** The templates every new tenant starts with. */
export const DEFAULT_PROFILES = {
  kidsListenOnly: {
    name: 'Kids Listen-Only',
    description: 'Listens to published stories suitable for young children. Cannot create or change anything.',
    permissions: { actions: ['stories.read'], limits: { ageRanges: ['0-3', '4-6', '7-9'], languages: null } },
  },
  parentCreator: {
    name: 'Parent Creator',
    description: 'Creates stories with the companion, publishes them to the family and uploads pictures.',
    permissions: {
      actions: ['agents.trigger', 'assets.upload', 'stories.create', 'stories.publish', 'stories.read'],
      limits: { ageRanges: null, languages: null },
    },
  },
  tenantAdmin: {
    name: 'Tenant Admin',
    description: 'Everything a parent can do, plus members, profiles, policies and the audit log.',
    permissions: { actions: [...ACTIONS].sort() as Action[], limits: { ageRanges: null, languages: null } },
  },
} satisfies Record<string, DefaultProfile>;

export function can(permissions: ProfilePermissions, action: Action): boolean {
  return permissions.actions.includes(action);
}

/** Parses stored JSON into permissions; anything malformed grants nothing. */
export function readPermissions(stored: unknown): ProfilePermissions {
  const parsed = profilePermissionsSchema.safeParse(stored);
  return parsed.success ? parsed.data : { actions: [], limits: { ageRanges: [], languages: [] } };
}
