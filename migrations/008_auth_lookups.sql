-- Up Migration
-- Authentication must find a session before it knows the tenant, which RLS
-- forbids the app role to do. This one security-definer function (owned by
-- talemo_privileged, which bypasses RLS) answers "who holds session <id>",
-- returning everything needed to build the viewer in one round trip. The
-- caller still checks the secret (constant time), expiry and revocation.

CREATE FUNCTION auth_session_viewer(p_session_id text)
RETURNS TABLE (
  session_id text, tenant_id uuid, user_id uuid, secret_hash bytea, session_kind text,
  created_at timestamptz, expires_at timestamptz, last_used_at timestamptz, revoked_at timestamptz,
  tenant_type text, user_kind text, display_name text, is_active boolean,
  profile_id uuid, profile_name text, permissions jsonb, plan text, policies jsonb
)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.id, s.tenant_id, s.user_id, s.secret_hash, s.kind,
         s.created_at, s.expires_at, s.last_used_at, s.revoked_at,
         t.type, u.kind, u.display_name, u.is_active,
         p.id, p.name, p.permissions,
         (SELECT sub.plan FROM subscriptions sub
           WHERE sub.tenant_id = s.tenant_id AND sub.status IN ('active', 'trialing', 'past_due')
           ORDER BY sub.start_date DESC LIMIT 1),
         coalesce((SELECT jsonb_agg(jsonb_build_object('key', tp.key, 'value', tp.value))
                   FROM tenant_policies tp WHERE tp.tenant_id = s.tenant_id), '[]'::jsonb)
  FROM sessions s
  JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
  JOIN tenants t ON t.id = s.tenant_id
  JOIN profiles p ON p.tenant_id = u.tenant_id AND p.id = u.profile_id
  WHERE s.id = p_session_id
$$;

GRANT SELECT ON sessions, users, tenants, profiles, subscriptions, tenant_policies TO talemo_privileged;
ALTER FUNCTION auth_session_viewer(text) OWNER TO talemo_privileged;
REVOKE EXECUTE ON FUNCTION auth_session_viewer(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_session_viewer(text) TO talemo_app;
