-- Up Migration
-- Tables that devices sync. Logical replication carries whole old rows
-- (REPLICA IDENTITY FULL) so the shape service can judge where-clauses on
-- updates and deletes, and one publication feeds it all.

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'tenants', 'profiles', 'users', 'tenant_policies', 'tags', 'stories', 'story_tags',
    'assets', 'agent_tasks', 'listening_events'
  ] LOOP
    EXECUTE format('ALTER TABLE %I REPLICA IDENTITY FULL', t);
  END LOOP;
END;
$$;

CREATE PUBLICATION talemo_sync FOR TABLE
  tenants, profiles, users, tenant_policies, tags, stories, story_tags,
  assets, agent_tasks, listening_events;

-- The replication role reads snapshots of published tables (it has BYPASSRLS;
-- the shape service applies each viewer's filter). It gets SELECT on exactly
-- the published tables: a table added to the publication later needs its own
-- GRANT SELECT ... TO talemo_replication.
GRANT USAGE ON SCHEMA public TO talemo_replication;
GRANT SELECT ON
  tenants, profiles, users, tenant_policies, tags, stories, story_tags,
  assets, agent_tasks, listening_events
  TO talemo_replication;
