-- Up Migration
-- story_tags carry their story's visibility facts too (see 050 for assets),
-- so the story_tags shape filters with the same rule as the stories shape:
-- a parent must not learn the ids and tags of another member's private draft.

ALTER TABLE story_tags
  ADD COLUMN story_visibility text,
  ADD COLUMN story_is_published boolean,
  ADD COLUMN story_moderation_status text,
  ADD COLUMN story_age_range text,
  ADD COLUMN story_language text,
  ADD COLUMN story_created_by uuid;

CREATE FUNCTION story_tags_copy_story_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT s.visibility, s.is_published, s.moderation_status, s.age_range, s.language, s.created_by
    INTO NEW.story_visibility, NEW.story_is_published, NEW.story_moderation_status,
         NEW.story_age_range, NEW.story_language, NEW.story_created_by
    FROM stories s WHERE s.id = NEW.story_id AND s.tenant_id = NEW.tenant_id;
  RETURN NEW;
END;
$$;
CREATE TRIGGER story_tags_copy_story_facts BEFORE INSERT OR UPDATE OF story_id ON story_tags
  FOR EACH ROW EXECUTE FUNCTION story_tags_copy_story_facts();

CREATE FUNCTION stories_push_facts_to_story_tags() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.visibility, NEW.is_published, NEW.moderation_status, NEW.age_range, NEW.language, NEW.created_by)
       IS DISTINCT FROM (OLD.visibility, OLD.is_published, OLD.moderation_status, OLD.age_range, OLD.language, OLD.created_by) THEN
    UPDATE story_tags SET story_visibility = NEW.visibility, story_is_published = NEW.is_published,
                          story_moderation_status = NEW.moderation_status, story_age_range = NEW.age_range,
                          story_language = NEW.language, story_created_by = NEW.created_by
     WHERE tenant_id = NEW.tenant_id AND story_id = NEW.id;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER stories_push_facts_to_story_tags AFTER UPDATE ON stories
  FOR EACH ROW EXECUTE FUNCTION stories_push_facts_to_story_tags();

-- Existing rows (the owner lifts FORCE for the backfill, inside this transaction).
ALTER TABLE story_tags NO FORCE ROW LEVEL SECURITY;
ALTER TABLE stories NO FORCE ROW LEVEL SECURITY;
UPDATE story_tags SET story_id = story_id;
ALTER TABLE story_tags FORCE ROW LEVEL SECURITY;
ALTER TABLE stories FORCE ROW LEVEL SECURITY;
