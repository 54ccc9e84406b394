-- Up Migration
-- Shapes filter rows with plain where-clauses on the row itself (no joins),
-- so the facts a filter needs are copied onto the rows it filters, and kept
-- current by triggers in the same transaction as the change:
--
-- * assets carry their story's visibility facts, so "metadata of the stories
--   the viewer can see" is a filter on assets alone;
-- * listening events carry whether the listener is a kid, so parents can
--   sync their kids' events.

ALTER TABLE assets
  ADD COLUMN story_id uuid REFERENCES stories (id) ON DELETE SET NULL,
  ADD COLUMN story_visibility text,
  ADD COLUMN story_is_published boolean,
  ADD COLUMN story_moderation_status text,
  ADD COLUMN story_age_range text,
  ADD COLUMN story_language text,
  ADD COLUMN story_created_by uuid;
CREATE INDEX assets_story_idx ON assets (tenant_id, story_id);

CREATE FUNCTION assets_copy_story_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.story_id IS NULL THEN
    NEW.story_visibility := NULL; NEW.story_is_published := NULL; NEW.story_moderation_status := NULL;
    NEW.story_age_range := NULL; NEW.story_language := NULL; NEW.story_created_by := NULL;
  ELSE
    SELECT s.visibility, s.is_published, s.moderation_status, s.age_range, s.language, s.created_by
      INTO NEW.story_visibility, NEW.story_is_published, NEW.story_moderation_status,
           NEW.story_age_range, NEW.story_language, NEW.story_created_by
      FROM stories s WHERE s.id = NEW.story_id AND s.tenant_id = NEW.tenant_id;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER assets_copy_story_facts BEFORE INSERT OR UPDATE OF story_id ON assets
  FOR EACH ROW EXECUTE FUNCTION assets_copy_story_facts();

-- A story claims the assets it points at, and pushes its facts to them.
CREATE FUNCTION stories_push_facts_to_assets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE assets SET story_id = NEW.id
   WHERE tenant_id = NEW.tenant_id AND id IN (NEW.image_asset_id, NEW.audio_asset_id)
     AND story_id IS DISTINCT FROM NEW.id;
  IF TG_OP = 'UPDATE' AND (NEW.visibility, NEW.is_published, NEW.moderation_status, NEW.age_range, NEW.language, NEW.created_by)
       IS DISTINCT FROM (OLD.visibility, OLD.is_published, OLD.moderation_status, OLD.age_range, OLD.language, OLD.created_by) THEN
    UPDATE assets SET story_visibility = NEW.visibility, story_is_published = NEW.is_published,
                      story_moderation_status = NEW.moderation_status, story_age_range = NEW.age_range,
                      story_language = NEW.language, story_created_by = NEW.created_by
     WHERE tenant_id = NEW.tenant_id AND story_id = NEW.id;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER stories_push_facts_to_assets AFTER INSERT OR UPDATE ON stories
  FOR EACH ROW EXECUTE FUNCTION stories_push_facts_to_assets();

-- Existing rows: attach assets to the stories that reference them. The owner
-- obeys RLS (FORCE); lifting FORCE inside this transaction lets the backfill
-- see every tenant, and it is back before the transaction commits.
ALTER TABLE stories NO FORCE ROW LEVEL SECURITY;
ALTER TABLE assets NO FORCE ROW LEVEL SECURITY;
UPDATE stories SET image_asset_id = image_asset_id WHERE image_asset_id IS NOT NULL OR audio_asset_id IS NOT NULL;
ALTER TABLE stories FORCE ROW LEVEL SECURITY;
ALTER TABLE assets FORCE ROW LEVEL SECURITY;

ALTER TABLE listening_events
  ADD COLUMN listener_kind text NOT NULL DEFAULT 'adult' CHECK (listener_kind IN ('adult', 'kid'));

CREATE FUNCTION listening_events_listener_kind() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT u.kind INTO NEW.listener_kind FROM users u WHERE u.tenant_id = NEW.tenant_id AND u.id = NEW.user_id;
  NEW.listener_kind := coalesce(NEW.listener_kind, 'adult');
  RETURN NEW;
END;
$$;
CREATE TRIGGER listening_events_listener_kind BEFORE INSERT ON listening_events
  FOR EACH ROW EXECUTE FUNCTION listening_events_listener_kind();

ALTER TABLE listening_events NO FORCE ROW LEVEL SECURITY;
ALTER TABLE users NO FORCE ROW LEVEL SECURITY;
UPDATE listening_events e SET listener_kind = u.kind FROM users u
 WHERE u.tenant_id = e.tenant_id AND u.id = e.user_id AND u.kind <> 'adult';
ALTER TABLE listening_events FORCE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
