/**
 * INSTEAD OF triggers on the merged views: each write by the app becomes an
 * overlay row (what the UI shows at once) and an outbox entry (the typed
 * mutation of sync/mutations.ts the sender will post). Both happen in the
 * app's own transaction, so a write is never shown without being queued, or
 * queued without being shown.
 *
 * Writes the server does not accept from devices (editing a listening event,
 * creating a profile, …) raise here, at the point of the mistake.
 */

/** Shared plumbing: the guard on synced tables, the enqueue helper, notifications. */
export const WRITE_SUPPORT_SQL = `
CREATE OR REPLACE FUNCTION talemo_guard_synced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('electric.syncing', true) IS DISTINCT FROM 'true'
     AND current_setting('talemo.maintenance', true) IS DISTINCT FROM 'true' THEN
    RAISE EXCEPTION '% is written only by sync; write to the view instead', TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END $$;

-- Appends one mutation to the outbox and returns its write_id.
CREATE OR REPLACE FUNCTION talemo_enqueue(p_type text, p_table text, p_key text, p_payload jsonb) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
  wid uuid := gen_random_uuid();
BEGIN
  INSERT INTO outbox (write_id, mutation_type, entity_table, entity_key, payload)
  VALUES (wid, p_type, p_table, p_key, p_payload);
  RETURN wid;
END $$;

CREATE OR REPLACE FUNCTION talemo_device_value(p_key text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT value #>> '{}' FROM device_meta WHERE key = p_key
$$;

CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('talemo_outbox', '');
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Who may see what depends on profiles and policies: when either changes, the
-- device asks its other shapes to check in at once instead of at their next
-- long-poll, so a must-refetch (and the removal it brings) arrives in seconds.
CREATE OR REPLACE FUNCTION access_changed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('talemo.refetching', true) IS DISTINCT FROM 'true' THEN
    PERFORM pg_notify('talemo_access_changed', TG_TABLE_NAME);
  END IF;
  RETURN NULL;
END $$;
`;

/** Upserts the overlay row for `key` so that `cols` take the values of NEW. */
function overlayUpsert(table: string, keyCol: string, cols: string[], extra = ''): string {
  const colList = cols.map((c) => `"${c}"`).join(', ');
  const values = cols.map((c) => `NEW."${c}"`).join(', ');
  const sets = cols.map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ');
  return `INSERT INTO ${table}_local ("${keyCol}", ${colList}, changed_columns, is_deleted, write_id)
    VALUES (NEW."${keyCol}", ${values}, changed, false, wid)
    ON CONFLICT ("${keyCol}") DO UPDATE SET ${sets},
      changed_columns = ARRAY(SELECT DISTINCT unnest(${table}_local.changed_columns || EXCLUDED.changed_columns)),
      is_deleted = false, write_id = EXCLUDED.write_id${extra};`;
}

const STORY_DRAFT_FIELDS = ['title', 'description', 'content', 'language', 'age_range', 'reading_level'];
const STORY_PUBLISH_FIELDS = ['visibility', 'is_published'];
const STORY_ALL = ['id', 'tenant_id', 'created_by', ...STORY_DRAFT_FIELDS, ...STORY_PUBLISH_FIELDS, 'moderation_status', 'created_at', 'updated_at'];

function changedList(fields: string[]): string {
  return fields.map((f) => `CASE WHEN NEW."${f}" IS DISTINCT FROM OLD."${f}" THEN '${f}' END`).join(', ');
}

export const STORY_TRIGGERS_SQL = `
CREATE OR REPLACE FUNCTION stories_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wid uuid;
  changed text[] := ARRAY[${STORY_ALL.filter((c) => c !== 'id').map((c) => `'${c}'`).join(', ')}];
BEGIN
  NEW.id := COALESCE(NEW.id, gen_random_uuid());
  IF EXISTS (SELECT 1 FROM stories WHERE id = NEW.id) THEN
    RAISE EXCEPTION 'story % already exists; update it instead', NEW.id;
  END IF;
  NEW.tenant_id := COALESCE(NEW.tenant_id, talemo_device_value('tenant_id')::uuid);
  NEW.created_by := COALESCE(NEW.created_by, talemo_device_value('user_id')::uuid);
  NEW.language := COALESCE(NEW.language, 'en');
  NEW.description := COALESCE(NEW.description, '');
  NEW.content := COALESCE(NEW.content, '');
  NEW.visibility := 'private';
  NEW.is_published := false;
  NEW.moderation_status := 'pending';
  NEW.created_at := COALESCE(NEW.created_at, now());
  NEW.updated_at := now();
  wid := talemo_enqueue('story.upsert_draft', 'stories', NEW.id::text, jsonb_strip_nulls(jsonb_build_object(
    'id', NEW.id, 'title', NEW.title, 'description', NEW.description, 'content', NEW.content,
    'language', NEW.language, 'age_range', NEW.age_range, 'reading_level', NEW.reading_level)));
  ${overlayUpsert('stories', 'id', STORY_ALL.filter((c) => c !== 'id'))}
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION stories_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wid uuid;
  draft_changed text[] := array_remove(ARRAY[${changedList(STORY_DRAFT_FIELDS)}], NULL);
  publish_changed text[] := array_remove(ARRAY[${changedList(STORY_PUBLISH_FIELDS)}], NULL);
  changed text[];
  payload jsonb := jsonb_build_object('id', NEW.id);
  f text;
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id THEN RAISE EXCEPTION 'a story id cannot change'; END IF;
  IF cardinality(draft_changed) > 0 AND cardinality(publish_changed) > 0 THEN
    RAISE EXCEPTION 'change a story''s text and its visibility in separate writes';
  END IF;
  IF cardinality(draft_changed) = 0 AND cardinality(publish_changed) = 0 THEN
    RETURN NEW;
  END IF;
  IF cardinality(publish_changed) > 0 THEN
    wid := talemo_enqueue('story.set_visibility', 'stories', NEW.id::text,
      jsonb_build_object('id', NEW.id, 'visibility', NEW.visibility, 'is_published', NEW.is_published));
    changed := ARRAY['visibility', 'is_published'];
  ELSE
    FOREACH f IN ARRAY draft_changed LOOP
      payload := payload || jsonb_build_object(f, to_jsonb(NEW) -> f);
    END LOOP;
    wid := talemo_enqueue('story.upsert_draft', 'stories', NEW.id::text, payload);
    changed := draft_changed || ARRAY['updated_at'];
  END IF;
  NEW.updated_at := now();
  INSERT INTO stories_local (id, ${STORY_ALL.filter((c) => c !== 'id').map((c) => `"${c}"`).join(', ')}, changed_columns, is_deleted, write_id)
  VALUES (NEW.id, ${STORY_ALL.filter((c) => c !== 'id').map((c) => `NEW."${c}"`).join(', ')}, changed, false, wid)
  ON CONFLICT (id) DO UPDATE SET
    ${[...STORY_DRAFT_FIELDS, ...STORY_PUBLISH_FIELDS, 'updated_at'].map((c) => `"${c}" = CASE WHEN '${c}' = ANY(EXCLUDED.changed_columns) THEN EXCLUDED."${c}" ELSE stories_local."${c}" END`).join(',\n    ')},
    changed_columns = ARRAY(SELECT DISTINCT unnest(stories_local.changed_columns || EXCLUDED.changed_columns)),
    is_deleted = false, write_id = EXCLUDED.write_id;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION stories_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wid uuid := talemo_enqueue('story.delete', 'stories', OLD.id::text, jsonb_build_object('id', OLD.id));
BEGIN
  INSERT INTO stories_local (id, is_deleted, write_id) VALUES (OLD.id, true, wid)
  ON CONFLICT (id) DO UPDATE SET is_deleted = true, write_id = EXCLUDED.write_id;
  RETURN OLD;
END $$;

DROP TRIGGER IF EXISTS stories_insert ON stories;
CREATE TRIGGER stories_insert INSTEAD OF INSERT ON stories FOR EACH ROW EXECUTE FUNCTION stories_insert();
DROP TRIGGER IF EXISTS stories_update ON stories;
CREATE TRIGGER stories_update INSTEAD OF UPDATE ON stories FOR EACH ROW EXECUTE FUNCTION stories_update();
DROP TRIGGER IF EXISTS stories_delete ON stories;
CREATE TRIGGER stories_delete INSTEAD OF DELETE ON stories FOR EACH ROW EXECUTE FUNCTION stories_delete();
`;

const LISTENING_COLS = ['tenant_id', 'user_id', 'story_id', 'device_id', 'position_seconds', 'event_kind', 'occurred_at'];

export const LISTENING_EVENT_TRIGGERS_SQL = `
CREATE OR REPLACE FUNCTION listening_events_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wid uuid;
  changed text[] := ARRAY[${LISTENING_COLS.map((c) => `'${c}'`).join(', ')}];
BEGIN
  NEW.id := COALESCE(NEW.id, gen_random_uuid());
  NEW.tenant_id := COALESCE(NEW.tenant_id, talemo_device_value('tenant_id')::uuid);
  NEW.user_id := COALESCE(NEW.user_id, talemo_device_value('user_id')::uuid);
  NEW.device_id := COALESCE(NEW.device_id, talemo_device_value('device_id'));
  NEW.occurred_at := COALESCE(NEW.occurred_at, now());
  wid := talemo_enqueue('listening_event.insert', 'listening_events', NEW.id::text, jsonb_build_object(
    'id', NEW.id, 'story_id', NEW.story_id, 'device_id', NEW.device_id,
    'position_seconds', round(NEW.position_seconds, 3)::float8, 'event_kind', NEW.event_kind,
    'occurred_at', to_char(NEW.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
  ${overlayUpsert('listening_events', 'id', LISTENING_COLS)}
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION listening_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'listening events are append-only';
END $$;

DROP TRIGGER IF EXISTS listening_events_insert ON listening_events;
CREATE TRIGGER listening_events_insert INSTEAD OF INSERT ON listening_events FOR EACH ROW EXECUTE FUNCTION listening_events_insert();
DROP TRIGGER IF EXISTS listening_events_refuse ON listening_events;
CREATE TRIGGER listening_events_refuse INSTEAD OF UPDATE OR DELETE ON listening_events FOR EACH ROW EXECUTE FUNCTION listening_events_refuse();
`;

const PROFILE_FIELDS = ['name', 'description', 'permissions'];

export const PROFILE_TRIGGERS_SQL = `
CREATE OR REPLACE FUNCTION profiles_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wid uuid;
  changed text[] := array_remove(ARRAY[${changedList(PROFILE_FIELDS)}], NULL);
  payload jsonb := jsonb_build_object('id', NEW.id);
  f text;
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id THEN RAISE EXCEPTION 'a profile id cannot change'; END IF;
  IF cardinality(changed) = 0 THEN RETURN NEW; END IF;
  FOREACH f IN ARRAY changed LOOP
    payload := payload || jsonb_build_object(f, to_jsonb(NEW) -> f);
  END LOOP;
  wid := talemo_enqueue('profile.update', 'profiles', NEW.id::text, payload);
  INSERT INTO profiles_local (id, ${PROFILE_FIELDS.map((c) => `"${c}"`).join(', ')}, changed_columns, is_deleted, write_id)
  VALUES (NEW.id, ${PROFILE_FIELDS.map((c) => `NEW."${c}"`).join(', ')}, changed, false, wid)
  ON CONFLICT (id) DO UPDATE SET
    ${PROFILE_FIELDS.map((c) => `"${c}" = CASE WHEN '${c}' = ANY(EXCLUDED.changed_columns) THEN EXCLUDED."${c}" ELSE profiles_local."${c}" END`).join(',\n    ')},
    changed_columns = ARRAY(SELECT DISTINCT unnest(profiles_local.changed_columns || EXCLUDED.changed_columns)),
    write_id = EXCLUDED.write_id;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION profiles_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'profiles are created and deleted online, from the admin screens';
END $$;

DROP TRIGGER IF EXISTS profiles_update ON profiles;
CREATE TRIGGER profiles_update INSTEAD OF UPDATE ON profiles FOR EACH ROW EXECUTE FUNCTION profiles_update();
DROP TRIGGER IF EXISTS profiles_refuse ON profiles;
CREATE TRIGGER profiles_refuse INSTEAD OF INSERT OR DELETE ON profiles FOR EACH ROW EXECUTE FUNCTION profiles_refuse();
`;

export const POLICY_TRIGGERS_SQL = `
-- Policies are keyed by name on the device: a key the tenant never set has no
-- server row (and no id) yet, and setting it is the same mutation either way.
CREATE OR REPLACE FUNCTION tenant_policies_set() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wid uuid;
  changed text[] := ARRAY['tenant_id', 'value', 'updated_by', 'updated_at'];
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.key IS DISTINCT FROM OLD.key THEN RAISE EXCEPTION 'a policy key cannot change'; END IF;
  IF TG_OP = 'UPDATE' AND NEW.value IS NOT DISTINCT FROM OLD.value THEN RETURN NEW; END IF;
  NEW.tenant_id := COALESCE(NEW.tenant_id, talemo_device_value('tenant_id')::uuid);
  NEW.updated_by := talemo_device_value('user_id')::uuid;
  NEW.updated_at := now();
  wid := talemo_enqueue('policy.set', 'tenant_policies', NEW.key, jsonb_build_object('key', NEW.key, 'value', NEW.value));
  INSERT INTO tenant_policies_local (key, tenant_id, value, updated_by, updated_at, changed_columns, is_deleted, write_id)
  VALUES (NEW.key, NEW.tenant_id, NEW.value, NEW.updated_by, NEW.updated_at, changed, false, wid)
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at,
    changed_columns = EXCLUDED.changed_columns, write_id = EXCLUDED.write_id;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tenant_policies_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a policy cannot be deleted; set it to the value you want';
END $$;

DROP TRIGGER IF EXISTS tenant_policies_set ON tenant_policies;
CREATE TRIGGER tenant_policies_set INSTEAD OF INSERT OR UPDATE ON tenant_policies FOR EACH ROW EXECUTE FUNCTION tenant_policies_set();
DROP TRIGGER IF EXISTS tenant_policies_refuse ON tenant_policies;
CREATE TRIGGER tenant_policies_refuse INSTEAD OF DELETE ON tenant_policies FOR EACH ROW EXECUTE FUNCTION tenant_policies_refuse();
`;

const TASK_COLS = ['tenant_id', 'agent_type', 'status', 'input', 'requested_by', 'story_id', 'created_at', 'updated_at'];

export const AGENT_TASK_TRIGGERS_SQL = `
CREATE OR REPLACE FUNCTION agent_tasks_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wid uuid;
  changed text[] := ARRAY[${TASK_COLS.map((c) => `'${c}'`).join(', ')}];
BEGIN
  NEW.id := COALESCE(NEW.id, gen_random_uuid());
  NEW.tenant_id := COALESCE(NEW.tenant_id, talemo_device_value('tenant_id')::uuid);
  NEW.requested_by := talemo_device_value('user_id')::uuid;
  NEW.status := 'pending';
  NEW.input := COALESCE(NEW.input, '{}'::jsonb);
  NEW.created_at := now();
  NEW.updated_at := now();
  wid := talemo_enqueue('agent_task.request', 'agent_tasks', NEW.id::text, jsonb_build_object(
    'id', NEW.id, 'agent_type', NEW.agent_type, 'story_id', NEW.story_id, 'input', NEW.input));
  ${overlayUpsert('agent_tasks', 'id', TASK_COLS)}
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION agent_tasks_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'agent tasks are requested by the device and updated by the server only';
END $$;

DROP TRIGGER IF EXISTS agent_tasks_insert ON agent_tasks;
CREATE TRIGGER agent_tasks_insert INSTEAD OF INSERT ON agent_tasks FOR EACH ROW EXECUTE FUNCTION agent_tasks_insert();
DROP TRIGGER IF EXISTS agent_tasks_refuse ON agent_tasks;
CREATE TRIGGER agent_tasks_refuse INSTEAD OF UPDATE OR DELETE ON agent_tasks FOR EACH ROW EXECUTE FUNCTION agent_tasks_refuse();
`;
