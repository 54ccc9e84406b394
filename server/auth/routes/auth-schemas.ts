/**
 * Request and response schemas shared by the auth routes. Request objects are
 * `.strict()`: an unknown field is a 400 naming it, never silently dropped.
 * Free-text fields accept what names really contain (letters of any script,
 * digits, spaces and a little punctuation) and refuse markup and SQL-looking
 * input outright rather than storing it.
 */
import { z } from '@hono/zod-openapi';
import { ACTIONS } from '../../../shapes/permissions.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../password.ts';
import { PAIRING_CODE_PATTERN } from '../one-time-secret.ts';
import { envelopeOf, errorEnvelope } from '../../routes/route-kit.ts';

export const email = z
  .string({ message: 'must be a string' })
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be an email address like name@example.com' }))
  .transform((v) => v.toLowerCase())
  .openapi({ example: 'camille@example.com' });

export const password = z
  .string({ message: 'must be a string' })
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

/** A password being checked, not chosen: any length up to the maximum. */
export const currentPassword = z.string({ message: 'must be a string' }).min(1, 'must not be empty').max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

const NAME = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .'’-]*$/u;
const FAMILY = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .'’&-]*$/u;

export const displayName = z
  .string({ message: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  .regex(NAME, "may contain letters, digits, spaces and . ' -");

export const familyName = z
  .string({ message: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters')
  .regex(FAMILY, "may contain letters, digits, spaces and . ' & -");

export const deviceName = z
  .string({ message: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters')
  .regex(/^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'’()_-]*$/u, "may contain letters, digits, spaces and . , ' ( ) _ -");

export const avatar = z.string({ message: 'must be a string' }).regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be an avatar name like "fox"');

export const uuid = z.uuid({ message: 'must be a UUID' });

/** Where to land after a Google or Apple sign-in: a path on this site, never another origin. */
export const returnTo = z
  .string({ message: 'must be a string' })
  .max(500, 'must be at most 500 characters')
  .regex(/^\/(?![/\\])[^\s\\]*$/, 'must be a path on this site, like /library');

export const invitationToken = z.string({ message: 'must be a string' }).regex(/^[a-z2-7]{32}$/, 'must be the token from the invitation link');

export const pairingCode = z.string({ message: 'must be a string' }).regex(PAIRING_CODE_PATTERN, 'must be the 8-character code shown to the parent, like ABCD-EF23');

/** `true` asks for the session as the HttpOnly cookie (the PWA) instead of a bearer token in the body. */
export const cookie = z.boolean({ message: 'must be true or false' }).optional();

export const sessionId = z.string().regex(/^[a-z2-7]{24}$/, 'must be a session id');

/** The response envelope around `data` (shared with every other route module). */
export const envelope = envelopeOf;

export { access, jsonBody } from '../../routes/route-kit.ts';

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorEnvelope } } });

/** The refusals every auth route can answer with, for the OpenAPI document. */
export const errorResponses = {
  400: errorResponse('Invalid input: the field errors say which field and why'),
  401: errorResponse('Not signed in, or the credentials are wrong'),
  403: errorResponse('Signed in, but not allowed (profile permissions, cross-site request)'),
  404: errorResponse('Not found, not configured, or no longer valid'),
  409: errorResponse('Conflicts with the current state'),
  413: errorResponse('Body too large'),
  415: errorResponse('Body is not JSON'),
  429: errorResponse('Rate limited: see Retry-After'),
} as const;


export const sessionGrantSchema = z
  .object({
    token: z.string().nullable().openapi({ description: 'The bearer token; null when it was set as the session cookie' }),
    transport: z.enum(['cookie', 'bearer']),
    session: z.object({ id: z.string(), kind: z.enum(['password', 'oidc', 'invitation', 'signup', 'pairing', 'refresh']), expiresAt: z.string() }),
    userId: z.string(),
    tenantId: z.string(),
  })
  .openapi('SessionGrant');

export const okSchema = z.object({ ok: z.literal(true) });

export const permissionsSchema = z.object({
  actions: z.array(z.enum(ACTIONS)),
  limits: z.object({ ageRanges: z.array(z.string()).nullable(), languages: z.array(z.string()).nullable() }),
});
