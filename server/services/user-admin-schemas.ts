/** What the member administration endpoints accept. */
import { z } from 'zod';
import { pageQueryFields } from './pagination.ts';
import { lineText } from '../../shapes/text-fields.ts';

const flag = z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true');

export const listUsersQuery = z
  .object({
    profile_id: z.string().uuid('must be a profile id (a UUID)').optional(),
    kind: z.enum(['adult', 'kid'], { message: 'must be adult or kid' }).optional(),
    is_active: flag.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListUsersQuery = z.output<typeof listUsersQuery>;

/** Fields left out stay as they are; at least one is needed. */
export const updateUserBody = z
  .object({
    display_name: lineText(80, 1).optional(),
    avatar: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be an avatar name such as "owl" (lower-case letters, digits, - or _)').nullable().optional(),
    profile_id: z.string().uuid('must be a profile id (a UUID)').optional(),
    is_active: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'must change at least one of display_name, avatar, profile_id, is_active', path: ['body'] });
export type UpdateUserInput = z.output<typeof updateUserBody>;
