import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES, type ProfilePermissions } from './permissions.ts';
import { policyDefaults } from './policies.ts';
import { pgArray, SHAPE_NAMES, shapeFor, visibleAgeRanges } from './shape-definitions.ts';
import type { Viewer } from './viewer.ts';

const tenantId = '11111111-1111-4111-8111-111111111111';
const userId = '22222222-2222-4222-8222-222222222222';

function viewer(kind: 'adult' | 'kid', permissions: ProfilePermissions, overrides: Partial<Viewer> = {}): Viewer {
  return {
    tenantId, tenantType: 'family', userId, kind, displayName: 'X', profileId: 'p', profileName: 'P',
    permissions, policies: policyDefaults('free'), plan: 'free', ...overrides,
  };
}
const kid = viewer('kid', DEFAULT_PROFILES.kidsListenOnly.permissions);
const parent = viewer('adult', DEFAULT_PROFILES.parentCreator.permissions);
const admin = viewer('adult', DEFAULT_PROFILES.tenantAdmin.permissions);

describe('shape definitions', () => {
  it('always pin the tenant, as the first parameter, except the global tags', () => {
    for (const name of SHAPE_NAMES) {
      for (const v of [kid, parent, admin]) {
        const d = shapeFor(name, v);
        if (!d || name === 'tags') continue;
        expect(d.params?.[0], `${name}`).toBe(tenantId);
        expect(d.where, `${name}`).toMatch(/^(tenant_id|id) = \$1/);
      }
    }
    expect(shapeFor('tags', kid)).toEqual({ table: 'tags', columns: ['id', 'name', 'slug', 'category'] });
  });

  it('never sync secrets or emails', () => {
    for (const name of SHAPE_NAMES) {
      const columns = shapeFor(name, admin)!.columns;
      for (const forbidden of ['email', 'password_hash', 'secret_hash', 'token_hash', 'secret', 'last_login', 'storage_key']) {
        expect(columns, `${name}`).not.toContain(forbidden);
      }
    }
  });

  it('give kids only published, approved, shared stories within their age ranges', () => {
    const d = shapeFor('stories', kid)!;
    expect(d.where).toBe("tenant_id = $1 AND is_published = true AND moderation_status = 'approved' AND visibility IN ('tenant_only', 'public') AND age_range = ANY($2)");
    expect(d.params).toEqual([tenantId, '{0-3,4-6,7-9}']);
  });

  it('narrow kids further by the tenant policy allowed_age_ranges', () => {
    const strict = viewer('kid', DEFAULT_PROFILES.kidsListenOnly.permissions, { policies: { ...policyDefaults('free'), allowed_age_ranges: ['0-3', '10-12'] } });
    expect(visibleAgeRanges(strict)).toEqual(['0-3']);
    expect(shapeFor('stories', strict)!.params).toEqual([tenantId, '{0-3}']);
    // The same policy change alters the definition, so a device gets must-refetch.
    expect(shapeFor('stories', strict)).not.toEqual(shapeFor('stories', kid));
  });

  it('show parents the tenant stories except other members private ones', () => {
    const d = shapeFor('stories', parent)!;
    expect(d.where).toBe("tenant_id = $1 AND (visibility <> 'private' OR created_by = $2)");
    expect(d.params).toEqual([tenantId, userId]);
  });

  it('filter assets by the same rule on the story facts they carry', () => {
    expect(shapeFor('assets', kid)!.where).toBe(
      "tenant_id = $1 AND story_id IS NOT NULL AND story_is_published = true AND story_moderation_status = 'approved' AND story_visibility IN ('tenant_only', 'public') AND story_age_range = ANY($2)",
    );
  });

  it('filter story tags by the same rule, so private drafts of others stay hidden', () => {
    expect(shapeFor('story_tags', parent)!.where).toBe("tenant_id = $1 AND (story_visibility <> 'private' OR story_created_by = $2)");
    expect(shapeFor('story_tags', kid)!.where).toContain("story_is_published = true AND story_moderation_status = 'approved'");
  });

  it('give agent tasks to requesters, all of them to admins, none to kids', () => {
    expect(shapeFor('agent_tasks', kid)).toBeNull();
    expect(shapeFor('agent_tasks', parent)!.where).toBe('tenant_id = $1 AND requested_by = $2');
    expect(shapeFor('agent_tasks', admin)!.where).toBe('tenant_id = $1');
  });

  it('give kids their own listening events, adults theirs and the kids', () => {
    expect(shapeFor('listening_events', kid)!.where).toBe('tenant_id = $1 AND user_id = $2');
    expect(shapeFor('listening_events', parent)!.where).toBe("tenant_id = $1 AND (user_id = $2 OR listener_kind = 'kid')");
  });

  it('tell members only names, avatars and kind of each other; admins also profile and active flag', () => {
    expect(shapeFor('users', kid)!.columns).toEqual(['id', 'tenant_id', 'kind', 'display_name', 'avatar']);
    expect(shapeFor('users', parent)!.columns).toEqual(['id', 'tenant_id', 'kind', 'display_name', 'avatar']);
    expect(shapeFor('users', admin)!.columns).toEqual(['id', 'tenant_id', 'profile_id', 'kind', 'display_name', 'avatar', 'is_active']);
  });

  it('refuse a profile without stories.read', () => {
    const none = viewer('adult', { actions: [], limits: { ageRanges: null, languages: null } });
    expect(shapeFor('stories', none)).toBeNull();
    expect(shapeFor('assets', none)).toBeNull();
  });

  it('refuse to build an array literal from unsafe text', () => {
    expect(() => pgArray(['a,b'])).toThrow();
    expect(() => pgArray(['"x'])).toThrow();
    expect(pgArray(['en', 'fr-CA'])).toBe('{en,fr-CA}');
  });
});
