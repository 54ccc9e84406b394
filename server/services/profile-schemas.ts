/** What the profile endpoints accept; permissions are checked against the vocabulary in shapes/permissions.ts. */
import { z } from 'zod';
import { profilePermissionsSchema } from '../../shapes/permissions.ts';
import { lineText, multilineText } from '../../shapes/text-fields.ts';

const name = lineText(80, 1);
const description = multilineText(500);

export const createProfileBody = z.object({ name, description: description.default(''), permissions: profilePermissionsSchema }).strict();
export type CreateProfileInput = z.output<typeof createProfileBody>;

/** PUT replaces the whole profile. */
export const updateProfileBody = z.object({ name, description, permissions: profilePermissionsSchema }).strict();
export type UpdateProfileInput = z.output<typeof updateProfileBody>;

export const assignProfileBody = z
  .object({
    user_ids: z
      .array(z.string().uuid('must be a member id (a UUID)'))
      .min(1, 'must name at least one member')
      .max(100, 'must name at most 100 members')
      .refine((ids) => new Set(ids).size === ids.length, 'must not name a member twice'),
  })
  .strict();
export type AssignProfileInput = z.output<typeof assignProfileBody>;
