-- Up Migration
-- Stories and what hangs off them: tags, assets, agent tasks, model usage and
-- listening events.

-- Tags are global: every tenant shares one vocabulary.
CREATE TABLE tags (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
  category text NOT NULL CHECK (category IN ('theme', 'character', 'mood', 'setting', 'genre', 'topic')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tags_category_idx ON tags (category, name);

CREATE TABLE stories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  content text NOT NULL DEFAULT '' CHECK (length(content) <= 100000),
  image_asset_id uuid,
  audio_asset_id uuid,
  language text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  age_range text NOT NULL CHECK (age_range IN ('0-3', '4-6', '7-9', '10-12', '13+')),
  duration_seconds integer CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
  reading_level text CHECK (reading_level IS NULL OR reading_level IN ('pre-reader', 'early', 'developing', 'fluent', 'advanced')),
  created_by uuid,
  visibility text NOT NULL DEFAULT 'private' CHECK (visibility IN ('public', 'tenant_only', 'private')),
  is_published boolean NOT NULL DEFAULT false,
  moderation_status text NOT NULL DEFAULT 'pending' CHECK (moderation_status IN ('pending', 'approved', 'flagged', 'rejected')),
  moderation_reasons text[] NOT NULL DEFAULT '{}',
  -- A family's own copy of a public story.
  source_story_id uuid REFERENCES stories (id) ON DELETE SET NULL,
  -- The device write that last changed this row; syncs back so the device can
  -- drop its optimistic copy.
  write_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX stories_tenant_idx ON stories (tenant_id, created_at DESC);
CREATE INDEX stories_tenant_library_idx ON stories (tenant_id, is_published, age_range, language);
CREATE INDEX stories_public_idx ON stories (created_at DESC) WHERE visibility = 'public' AND is_published AND moderation_status = 'approved';
CREATE INDEX stories_image_idx ON stories (image_asset_id) WHERE image_asset_id IS NOT NULL;
CREATE INDEX stories_audio_idx ON stories (audio_asset_id) WHERE audio_asset_id IS NOT NULL;
CREATE INDEX stories_search_trgm_idx ON stories USING gin ((title || ' ' || description) gin_trgm_ops);
CREATE TRIGGER stories_updated_at BEFORE UPDATE ON stories FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE story_tags (
  tenant_id uuid NOT NULL,
  story_id uuid NOT NULL,
  tag_id uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (story_id, tag_id),
  FOREIGN KEY (tenant_id, story_id) REFERENCES stories (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX story_tags_tenant_idx ON story_tags (tenant_id, tag_id);

CREATE TABLE agent_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  agent_type text NOT NULL CHECK (agent_type IN (
    'SearchAgent', 'ModerationAgent', 'TTSAgent', 'IllustratorAgent', 'MetadataAgent',
    'QuotaAgent', 'PersonalizationAgent', 'StoryCompanion', 'SearchAssistant')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
  input jsonb NOT NULL DEFAULT '{}',
  output jsonb,
  error text,
  requested_by uuid,
  story_id uuid REFERENCES stories (id) ON DELETE SET NULL,
  -- A pipeline stage points at the request that started the pipeline.
  parent_task_id uuid REFERENCES agent_tasks (id) ON DELETE CASCADE,
  write_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, requested_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX agent_tasks_tenant_idx ON agent_tasks (tenant_id, created_at DESC);
CREATE INDEX agent_tasks_requester_idx ON agent_tasks (tenant_id, requested_by, created_at DESC);
CREATE INDEX agent_tasks_parent_idx ON agent_tasks (parent_task_id) WHERE parent_task_id IS NOT NULL;
CREATE TRIGGER agent_tasks_updated_at BEFORE UPDATE ON agent_tasks FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE assets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  type text NOT NULL CHECK (type IN ('image', 'audio')),
  -- Server-generated, always under the tenant's prefix.
  storage_key text NOT NULL UNIQUE CHECK (
    storage_key LIKE 'tenants/' || tenant_id::text || '/%'
    AND storage_key !~ '(^|/)\.\.?(/|$)'
    AND length(storage_key) <= 500),
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  mime_type text NOT NULL CHECK (mime_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
  checksum_sha256 text NOT NULL CHECK (checksum_sha256 ~ '^[0-9a-f]{64}$'),
  source_task_id uuid REFERENCES agent_tasks (id) ON DELETE SET NULL,
  created_by uuid,
  metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX assets_tenant_idx ON assets (tenant_id, created_at DESC);
CREATE INDEX assets_checksum_idx ON assets (tenant_id, checksum_sha256);

-- Stories point at assets; a family's copy may point at the public original's
-- assets, so these are plain (not tenant-paired) references.
ALTER TABLE stories
  ADD FOREIGN KEY (image_asset_id) REFERENCES assets (id) ON DELETE SET NULL,
  ADD FOREIGN KEY (audio_asset_id) REFERENCES assets (id) ON DELETE SET NULL;

CREATE TABLE llm_usage (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  agent_task_id uuid REFERENCES agent_tasks (id) ON DELETE SET NULL,
  provider text NOT NULL,
  model text NOT NULL,
  purpose text NOT NULL,
  prompt_tokens integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
  completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
  cost_usd numeric(12, 6) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX llm_usage_tenant_idx ON llm_usage (tenant_id, created_at DESC);
CREATE INDEX llm_usage_task_idx ON llm_usage (agent_task_id) WHERE agent_task_id IS NOT NULL;

-- Append-only: progress is a stream of events, never an overwritten position.
CREATE TABLE listening_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  -- Plain reference: a kid may listen to another tenant's public story.
  story_id uuid NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  device_id text NOT NULL CHECK (length(device_id) BETWEEN 1 AND 128),
  position_seconds numeric(10, 3) NOT NULL CHECK (position_seconds >= 0),
  event_kind text NOT NULL CHECK (event_kind IN ('start', 'progress', 'pause', 'resume', 'seek', 'complete', 'stop')),
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  write_id uuid,
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  UNIQUE (tenant_id, write_id)
);
CREATE INDEX listening_events_tenant_idx ON listening_events (tenant_id, user_id, story_id, occurred_at DESC);
CREATE INDEX listening_events_story_idx ON listening_events (story_id);
