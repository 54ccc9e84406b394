/**
 * Who sees what on a device: one shape per synced table, each a pure function
 * of the viewer. The server's shape proxy is the only caller; a device asks
 * for a shape by name and never chooses the table, filter or columns.
 *
 * | shape            | rows                                                                                   |
 * |------------------|----------------------------------------------------------------------------------------|
 * | stories          | kid: the tenant's published, approved, non-private stories within the profile's age    |
 * |                  | ranges and languages and the tenant's allowed_age_ranges. Others: the tenant's stories |
 * |                  | except other members' private ones (and within any limits their profile sets).        |
 * | assets           | metadata of exactly those stories' assets (via the story facts copied onto assets)    |
 * | agent_tasks      | a parent's own; an admin (users.manage) the whole tenant's; kids none                  |
 * | profiles         | everyone in the tenant                                                                |
 * | tenant_policies  | everyone in the tenant                                                                |
 * | users            | the tenant's members: name, avatar and kind; admins also get profile and active flag   |
 * | listening_events | one's own; adults also see the tenant's kids'                                          |
 * | story_tags       | the tags of exactly the stories the viewer can see (story facts copied onto them)      |
 * | tags             | everyone: the global vocabulary                                                       |
 * | tenants          | the viewer's own tenant                                                               |
 *
 * Columns never carry secrets: no password or token hashes, no emails, and
 * nothing about members beyond name and avatar (and whether the account is a
 * kid's); only admins, who manage membership, also get each member's profile
 * and whether the account is active.
 *
 * When a profile's permissions or a tenant policy change, the parameters
 * change, so the device's shape handle no longer matches: it gets a
 * must-refetch and re-syncs exactly what it may now see.
 */
import { can, type AgeRange } from './permissions.ts';
import type { Viewer } from './viewer.ts';

export interface ShapeDefinition {
  table: string;
  where?: string;
  /** Positional parameters for `where` ($1, $2, …), as Postgres text. */
  params?: string[];
  columns: string[];
}

export type ShapeName =
  | 'stories'
  | 'assets'
  | 'agent_tasks'
  | 'profiles'
  | 'tenant_policies'
  | 'users'
  | 'listening_events'
  | 'story_tags'
  | 'tags'
  | 'tenants';

const COLUMNS: Record<ShapeName, string[]> = {
  stories: [
    'id', 'tenant_id', 'title', 'description', 'content', 'image_asset_id', 'audio_asset_id', 'language', 'age_range',
    'duration_seconds', 'reading_level', 'created_by', 'visibility', 'is_published', 'moderation_status',
    'moderation_reasons', 'source_story_id', 'write_id', 'created_at', 'updated_at', 'published_at',
  ],
  assets: ['id', 'tenant_id', 'type', 'size_bytes', 'mime_type', 'checksum_sha256', 'story_id', 'metadata', 'created_at'],
  agent_tasks: [
    'id', 'tenant_id', 'agent_type', 'status', 'input', 'output', 'error', 'requested_by', 'story_id', 'parent_task_id',
    'write_id', 'created_at', 'started_at', 'completed_at', 'updated_at',
  ],
  profiles: ['id', 'tenant_id', 'name', 'description', 'permissions', 'is_default', 'write_id', 'created_at', 'updated_at'],
  tenant_policies: ['id', 'tenant_id', 'key', 'value', 'write_id', 'updated_at'],
  users: ['id', 'tenant_id', 'profile_id', 'kind', 'display_name', 'avatar', 'is_active'],
  listening_events: ['id', 'tenant_id', 'user_id', 'story_id', 'device_id', 'position_seconds', 'event_kind', 'occurred_at', 'write_id', 'listener_kind'],
  story_tags: ['tenant_id', 'story_id', 'tag_id'],
  tags: ['id', 'name', 'slug', 'category'],
  tenants: ['id', 'name', 'type'],
};

/** What everyone may know about a fellow member. */
const MEMBER_COLUMNS = ['id', 'tenant_id', 'kind', 'display_name', 'avatar'];

export const SHAPE_NAMES = Object.keys(COLUMNS) as ShapeName[];

export function isShapeName(name: string): name is ShapeName {
  return Object.hasOwn(COLUMNS, name);
}

/** A Postgres array literal of simple strings (age ranges, language tags, UUIDs). */
export function pgArray(values: readonly string[]): string {
  for (const v of values) if (!/^[A-Za-z0-9+\-_.:]+$/.test(v)) throw new Error(`unsafe array element ${JSON.stringify(v)}`);
  return `{${values.join(',')}}`;
}

/** Age ranges the viewer may see: the profile's limit, narrowed for kids by the tenant policy. */
export function visibleAgeRanges(viewer: Viewer): AgeRange[] | null {
  const profile = viewer.permissions.limits.ageRanges;
  const policy = viewer.kind === 'kid' ? viewer.policies.allowed_age_ranges : null;
  if (profile === null && policy === null) return null;
  if (profile === null) return [...policy!];
  if (policy === null) return [...profile];
  return profile.filter((r) => policy.includes(r));
}

/** Builds "a AND b AND …" with $n numbered in order of the params pushed. */
class WhereBuilder {
  readonly clauses: string[] = [];
  readonly params: string[] = [];

  param(value: string): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  build(table: ShapeName): ShapeDefinition {
    return { table, where: this.clauses.join(' AND '), params: this.params, columns: COLUMNS[table] };
  }
}

/**
 * Story visibility, written against column names with an optional prefix, so
 * the same rule filters stories (`age_range`) and assets (`story_age_range`).
 */
function storyRule(viewer: Viewer, w: WhereBuilder, col: (name: string) => string): void {
  const ages = visibleAgeRanges(viewer);
  const languages = viewer.permissions.limits.languages;
  if (viewer.kind === 'kid') {
    w.add(`${col('is_published')} = true`).add(`${col('moderation_status')} = 'approved'`).add(`${col('visibility')} IN ('tenant_only', 'public')`);
  } else {
    w.add(`(${col('visibility')} <> 'private' OR ${col('created_by')} = ${w.param(viewer.userId)})`);
  }
  if (ages !== null) w.add(`${col('age_range')} = ANY(${w.param(pgArray(ages))})`);
  if (languages !== null) w.add(`${col('language')} = ANY(${w.param(pgArray(languages))})`);
}

const isAdmin = (viewer: Viewer) => can(viewer.permissions, 'users.manage');

/** The definition of shape `name` for `viewer`, or null when the viewer has no such shape. */
export function shapeFor(name: ShapeName, viewer: Viewer): ShapeDefinition | null {
  const tenant = (w: WhereBuilder) => w.add(`tenant_id = ${w.param(viewer.tenantId)}`);
  switch (name) {
    case 'stories': {
      if (!can(viewer.permissions, 'stories.read')) return null;
      const w = tenant(new WhereBuilder());
      storyRule(viewer, w, (c) => c);
      return w.build('stories');
    }
    case 'assets': {
      if (!can(viewer.permissions, 'stories.read')) return null;
      const w = tenant(new WhereBuilder());
      w.add('story_id IS NOT NULL');
      storyRule(viewer, w, (c) => `story_${c}`);
      return w.build('assets');
    }
    case 'agent_tasks': {
      if (viewer.kind === 'kid' || !can(viewer.permissions, 'agents.trigger')) return null;
      const w = tenant(new WhereBuilder());
      if (!isAdmin(viewer)) w.add(`requested_by = ${w.param(viewer.userId)}`);
      return w.build('agent_tasks');
    }
    case 'profiles':
    case 'tenant_policies':
      return tenant(new WhereBuilder()).build(name);
    case 'users': {
      const definition = tenant(new WhereBuilder()).build('users');
      return isAdmin(viewer) ? definition : { ...definition, columns: MEMBER_COLUMNS };
    }
    case 'listening_events': {
      const w = tenant(new WhereBuilder());
      const self = w.param(viewer.userId);
      w.add(viewer.kind === 'kid' ? `user_id = ${self}` : `(user_id = ${self} OR listener_kind = 'kid')`);
      return w.build('listening_events');
    }
    case 'story_tags': {
      if (!can(viewer.permissions, 'stories.read')) return null;
      const w = tenant(new WhereBuilder());
      storyRule(viewer, w, (c) => `story_${c}`);
      return w.build('story_tags');
    }
    case 'tags':
      return { table: 'tags', columns: COLUMNS.tags };
    case 'tenants': {
      const w = new WhereBuilder();
      return w.add(`id = ${w.param(viewer.tenantId)}`).build('tenants');
    }
  }
}
