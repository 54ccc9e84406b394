import { describe, expect, it } from 'vitest';
import { effectivePolicies, PLAN_LIMIT_KEYS, policyDefaults, startingPolicies, validatePolicy } from './policies.ts';

describe('tenant policies', () => {
  it('new tenants store no plan limits, so an upgrade raises them', () => {
    const stored = Object.entries(startingPolicies('free')).map(([key, value]) => ({ key, value }));
    for (const key of PLAN_LIMIT_KEYS) expect(stored.map((r) => r.key)).not.toContain(key);
    expect(effectivePolicies('premium', stored).story_quota).toBe(policyDefaults('premium').story_quota);
    expect(effectivePolicies('premium', stored).story_quota).toBeGreaterThan(policyDefaults('free').story_quota);
  });

  it('a value the tenant set wins over the plan', () => {
    expect(effectivePolicies('premium', [{ key: 'story_quota', value: 3 }]).story_quota).toBe(3);
  });

  it('rejects unknown keys and invalid values with field errors', () => {
    expect(validatePolicy('bedtme', true)).toEqual({ ok: false, errors: { key: [expect.stringContaining('is not a known policy')] } });
    expect(validatePolicy('max_volume', 150)).toEqual({ ok: false, errors: { value: ['must be between 0 and 100'] } });
    expect(validatePolicy('bedtime', { enabled: true, start: '25:00', end: '07:00' })).toMatchObject({ ok: false, errors: { 'value.start': ['must be a time like 19:30'] } });
    expect(validatePolicy('bedtime', { enabled: true, start: '19:30', end: '07:00' })).toEqual({ ok: true, value: { enabled: true, start: '19:30', end: '07:00' } });
  });

  it('drops stored values that no longer validate, falling back to the default', () => {
    expect(effectivePolicies('free', [{ key: 'max_volume', value: 'loud' }]).max_volume).toBe(policyDefaults('free').max_volume);
  });
});
