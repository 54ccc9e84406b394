/**
 * The tenant policy registry: every key a tenant may set, its validation and
 * its default. Defaults depend on the subscription plan. Unknown keys are
 * refused. Devices read the same registry to enforce bedtime, daily minutes
 * and volume while offline.
 */
import { z } from 'zod';
import { AGE_RANGES } from './permissions.ts';

export const PLANS = ['free', 'premium', 'institution'] as const;
export type Plan = (typeof PLANS)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 19:30');

export const FEATURE_FLAGS = ['story_companion', 'public_library', 'search_assistant', 'uploads'] as const;

export const policySchemas = {
  /** Stories the agents may generate per calendar month. */
  story_quota: z.number().int('must be a whole number').min(0, 'must not be negative').max(100_000, 'must be at most 100000'),
  /** Members (adults and kids) the tenant may have. */
  max_users: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000, 'must be at most 100000'),
  /** Total size of the tenant's assets. */
  storage_quota_mb: z.number().int('must be a whole number').min(0, 'must not be negative').max(10_000_000, 'must be at most 10000000'),
  /** Largest single upload. */
  max_upload_mb: z.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500'),
  feature_flags: z.object(Object.fromEntries(FEATURE_FLAGS.map((f) => [f, z.boolean({ message: 'must be true or false' })])) as Record<(typeof FEATURE_FLAGS)[number], z.ZodBoolean>).strict(),
  /** When kids may not listen, in the device's local time; may span midnight. */
  bedtime: z
    .object({ enabled: z.boolean({ message: 'must be true or false' }), start: clock, end: clock })
    .strict()
    .refine((b) => b.start !== b.end, { message: 'start and end must differ', path: ['end'] }),
  /** Listening allowed per kid per day; null for no limit. */
  daily_listening_minutes: z.number().int('must be a whole number').min(0, 'must not be negative').max(1440, 'must be at most 1440').nullable(),
  /** Loudest playback allowed on kid devices, in percent. */
  max_volume: z.number().int('must be a whole number').min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100'),
  /** Whether devices download new stories for offline use by themselves, and how much. */
  offline_auto_download: z
    .object({
      enabled: z.boolean({ message: 'must be true or false' }),
      max_stories: z.number().int('must be a whole number').min(0, 'must not be negative').max(1000, 'must be at most 1000'),
      max_megabytes: z.number().int('must be a whole number').min(0, 'must not be negative').max(100_000, 'must be at most 100000'),
    })
    .strict(),
  /** Age ranges the tenant's kids may see, on top of their profile's limits. */
  allowed_age_ranges: z.array(z.enum(AGE_RANGES, { message: `must be one of ${AGE_RANGES.join(', ')}` })).min(1, 'must allow at least one age range'),
} as const;

export type PolicyKey = keyof typeof policySchemas;
export type PolicyValue<K extends PolicyKey> = z.output<(typeof policySchemas)[K]>;
export type Policies = { [K in PolicyKey]: PolicyValue<K> };

export const POLICY_KEYS = Object.keys(policySchemas) as PolicyKey[];

const planLimits: Record<Plan, Pick<Policies, 'story_quota' | 'max_users' | 'storage_quota_mb' | 'max_upload_mb'>> = {
  free: { story_quota: 10, max_users: 6, storage_quota_mb: 500, max_upload_mb: 10 },
  premium: { story_quota: 200, max_users: 12, storage_quota_mb: 10_000, max_upload_mb: 50 },
  institution: { story_quota: 2_000, max_users: 1_000, storage_quota_mb: 100_000, max_upload_mb: 100 },
};

/** Keys whose defaults come from the subscription plan; stored only when a tenant overrides them. */
export const PLAN_LIMIT_KEYS = ['story_quota', 'max_users', 'storage_quota_mb', 'max_upload_mb'] as const satisfies readonly PolicyKey[];

/**
 * The policy rows a new tenant starts with: every default except the plan
 * limits, which stay unset so a plan change raises (or lowers) them.
 */
export function startingPolicies(plan: Plan): Partial<Policies> {
  const all: Partial<Policies> = policyDefaults(plan);
  for (const key of PLAN_LIMIT_KEYS) delete all[key];
  return all;
}

/** The value of every key for a tenant on `plan` that has set nothing. */
export function policyDefaults(plan: Plan): Policies {
  return {
    ...planLimits[plan],
    feature_flags: { story_companion: true, public_library: true, search_assistant: true, uploads: true },
    bedtime: { enabled: false, start: '19:30', end: '07:00' },
    daily_listening_minutes: 60,
    max_volume: 80,
    offline_auto_download: { enabled: true, max_stories: 20, max_megabytes: 300 },
    allowed_age_ranges: [...AGE_RANGES],
  };
}

export function isPolicyKey(key: string): key is PolicyKey {
  return Object.hasOwn(policySchemas, key);
}

export type PolicyCheck<K extends PolicyKey> = { ok: true; value: PolicyValue<K> } | { ok: false; errors: Record<string, string[]> };

/** Validates a value for a key; unknown keys are an error, never ignored. */
export function validatePolicy(key: string, value: unknown): PolicyCheck<PolicyKey> {
  if (!isPolicyKey(key)) return { ok: false, errors: { key: [`is not a known policy; known policies are ${POLICY_KEYS.join(', ')}`] } };
  const parsed = policySchemas[key].safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data as PolicyValue<PolicyKey> };
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = ['value', ...issue.path.map(String)].join('.');
    (errors[field] ??= []).push(issue.message);
  }
  return { ok: false, errors };
}

/** Merges stored rows over the plan's defaults, dropping stored values that no longer validate. */
export function effectivePolicies(plan: Plan, stored: ReadonlyArray<{ key: string; value: unknown }>): Policies {
  const result: Policies = policyDefaults(plan);
  for (const row of stored) {
    const check = validatePolicy(row.key, row.value);
    if (check.ok) (result as Record<string, unknown>)[row.key] = check.value;
  }
  return result;
}
