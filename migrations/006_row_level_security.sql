-- Up Migration
-- Tenant isolation, enforced by Postgres itself.
--
-- The app connects as talemo_app, which owns nothing and cannot bypass RLS.
-- Each request's transaction first runs set_config('app.tenant', ..., true);
-- every policy compares against that setting. An unset or empty setting
-- matches no tenant, so a forgotten context reads nothing and writes nothing.
-- FORCE makes the owner obey the policies too.

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'profiles', 'users', 'user_credentials', 'user_identities', 'sessions', 'invitations',
    'tenant_policies', 'subscriptions', 'stories', 'story_tags', 'assets', 'agent_tasks',
    'llm_usage', 'listening_events', 'audit_log', 'webhooks', 'webhook_deliveries'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$
      CREATE POLICY tenant_isolation ON %I
        USING (tenant_id = NULLIF(current_setting('app.tenant', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant', true), '')::uuid)
    $p$, t);
  END LOOP;
END;
$$;

-- The tenant row itself is keyed by id.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = NULLIF(current_setting('app.tenant', true), '')::uuid)
  WITH CHECK (id = NULLIF(current_setting('app.tenant', true), '')::uuid);

-- Published, approved public stories are readable from every tenant, with
-- their tags and their cover and audio assets. Writes stay tenant-only.
CREATE POLICY public_read ON stories FOR SELECT
  USING (visibility = 'public' AND is_published AND moderation_status = 'approved');

CREATE POLICY public_read ON story_tags FOR SELECT
  USING (EXISTS (
    SELECT 1 FROM stories s
    WHERE s.id = story_tags.story_id
      AND s.visibility = 'public' AND s.is_published AND s.moderation_status = 'approved'));

CREATE POLICY public_read ON assets FOR SELECT
  USING (EXISTS (
    SELECT 1 FROM stories s
    WHERE (s.image_asset_id = assets.id OR s.audio_asset_id = assets.id)
      AND s.visibility = 'public' AND s.is_published AND s.moderation_status = 'approved'));

-- What the app role may do. audit_log and listening_events are append-only.
GRANT USAGE ON SCHEMA public TO talemo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
  tenants, profiles, users, user_credentials, user_identities, sessions, invitations,
  tenant_policies, subscriptions, stories, story_tags, assets, agent_tasks,
  webhooks, webhook_deliveries
  TO talemo_app;
GRANT SELECT, INSERT ON audit_log, listening_events, llm_usage TO talemo_app;
GRANT SELECT, INSERT ON tags TO talemo_app;
GRANT SELECT ON pgmigrations TO talemo_app;

-- Security-definer functions run as talemo_privileged (BYPASSRLS, no login):
-- the audit chain must see the tenant's last row whoever inserts, and the
-- verifier walks every tenant's chain.
GRANT SELECT ON audit_log TO talemo_privileged;
ALTER FUNCTION audit_log_chain() OWNER TO talemo_privileged;
ALTER FUNCTION audit_verify_chain(uuid) OWNER TO talemo_privileged;
REVOKE EXECUTE ON FUNCTION audit_verify_chain(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_verify_chain(uuid) TO talemo_owner;
