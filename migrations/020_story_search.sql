-- Up Migration
-- Story search (the SearchAgent behind GET /api/stories/search): Postgres
-- full-text over title, description and content, plus trigram similarity
-- for typos. The document is an expression index, not a column, so the
-- synced stories row keeps its shape.

-- The text-search configuration for a story's language: stemming where we
-- ship the language, plain words elsewhere.
CREATE FUNCTION story_search_config(p_language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_language LIKE 'en%' THEN 'english'::regconfig
    WHEN p_language LIKE 'fr%' THEN 'french'::regconfig
    ELSE 'simple'::regconfig
  END
$$;

-- Title weighs most, then description, then the text itself. The inner call
-- is schema-qualified: since Postgres 17, CREATE INDEX and maintenance run
-- expression functions with search_path = pg_catalog, pg_temp.
CREATE FUNCTION story_search_document(p_language text, p_title text, p_description text, p_content text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector(public.story_search_config(p_language), coalesce(p_title, '')), 'A')
      || setweight(to_tsvector(public.story_search_config(p_language), coalesce(p_description, '')), 'B')
      || setweight(to_tsvector(public.story_search_config(p_language), coalesce(p_content, '')), 'C')
$$;

CREATE INDEX stories_search_fts_idx ON stories USING gin (story_search_document(language, title, description, content));
CREATE INDEX tags_name_trgm_idx ON tags USING gin (name gin_trgm_ops);

GRANT EXECUTE ON FUNCTION story_search_config(text), story_search_document(text, text, text, text) TO talemo_app;
