-- Up Migration
-- Shared building blocks. Runs as talemo_owner, which owns every object.

-- Trusted extension (creatable by the database owner role); powers trigram search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Keeps updated_at honest on every UPDATE, whoever writes.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

-- Instance-level facts (for example, whether the demo was seeded). Not tenant
-- data: only the owner can read or write it.
CREATE TABLE instance_meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Present until the first start has decided whether to seed the demo.
INSERT INTO instance_meta (key, value) VALUES ('first_start_pending', 'true');
