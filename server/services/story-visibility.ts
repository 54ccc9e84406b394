/**
 * Which stories a viewer may see, as one SQL predicate over `stories`.
 *
 * Within the tenant the rule is the `stories` shape's (shapes/
 * shape-definitions.ts, the one place that says who sees what), so the REST
 * API and a device's synced library always agree:
 * - a kid: published, approved, non-private stories;
 * - anyone else: the tenant's stories except other members' private ones;
 * - both within the profile's age ranges and languages (and, for kids, the
 *   tenant's `allowed_age_ranges`).
 *
 * On top of the shape, the REST API shows the public library: other
 * tenants' public, published, approved stories (RLS lets only those through)
 * within the same limits, when the tenant's `public_library` feature is on.
 *
 * The shape's clauses use bare column names; they resolve to the innermost
 * `stories` in scope, which is where this predicate is always placed.
 */
import { pgArray, shapeFor, visibleAgeRanges } from '../../shapes/shape-definitions.ts';
import { can } from '../../shapes/permissions.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { SqlParams } from './sql-params.ts';

/** True when the viewer manages every story of the tenant (edits, publishes and deletes others'). */
export function managesStories(viewer: Viewer): boolean {
  return can(viewer.permissions, 'stories.delete');
}

export function storyVisibleTo(viewer: Viewer, p: SqlParams, alias = 's'): string {
  const shape = shapeFor('stories', viewer);
  if (!shape) return 'FALSE';
  // The shape numbers its own parameters from $1; move them into this query's list.
  const params = shape.params ?? [];
  const inTenant = (shape.where ?? 'TRUE').replace(/\$(\d+)/g, (_, n: string) => p.add(params[Number(n) - 1]));
  if (!viewer.policies.feature_flags.public_library) return `(${inTenant})`;
  const s = alias;
  const ages = visibleAgeRanges(viewer);
  const languages = viewer.permissions.limits.languages;
  const fromOthers = [
    `${s}.tenant_id <> ${p.add(viewer.tenantId)}::uuid`,
    `${s}.visibility = 'public'`,
    `${s}.is_published`,
    `${s}.moderation_status = 'approved'`,
    ages === null ? null : `${s}.age_range = ANY (${p.add(pgArray(ages))}::text[])`,
    languages === null ? null : `${s}.language = ANY (${p.add(pgArray(languages))}::text[])`,
  ].filter(Boolean);
  return `((${inTenant}) OR (${fromOthers.join(' AND ')}))`;
}
