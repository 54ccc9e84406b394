-- Up Migration
-- Rotating a session when its user's privileges change (issue 3 §1: "rotate
-- the session on sign-in and on any privilege change").
--
-- Each session records a fingerprint of the privileges it was issued under;
-- the session lookup returns it next to the current one, so authenticate.ts
-- notices a change in the same single round trip and rotates the session
-- (server/auth/session-rotation.ts). No service has to remember to do it: a
-- member moved to another profile, or a profile whose permissions were
-- edited, is noticed on the member's next request whichever code path made
-- the change.

-- What a session's privileges are: the profile, the kind of user (adult or
-- kid) and the profile's permissions. jsonb's text form is canonical (keys
-- sorted, whitespace normalised), so equal permissions give equal bytes.
-- Pure, so EXECUTE stays with PUBLIC: it reveals nothing it is not given.
CREATE FUNCTION session_privilege_fingerprint(p_profile_id uuid, p_user_kind text, p_permissions jsonb)
RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(p_profile_id::text || '|' || p_user_kind || '|' || p_permissions::text, 'UTF8'))
$$;

-- NULL for sessions issued before this migration: the first request with
-- one stamps the current fingerprint instead of rotating it, so deploying
-- this does not rotate every live session at once. (The backfill cannot run
-- here: the migration role obeys RLS and sees no tenant's rows.)
ALTER TABLE sessions ADD COLUMN privilege_fingerprint bytea CHECK (privilege_fingerprint IS NULL OR length(privilege_fingerprint) = 32);
-- Set on a session revoked by a privilege-change rotation: the session that
-- replaced it. For a short grace window the old token still works while its
-- successor lives, so requests already in flight with it do not fail.
ALTER TABLE sessions ADD COLUMN replaced_by_session_id text;

-- The lookup gains the stored and the current fingerprint, and what the
-- grace window needs about the successor. Its result type changes, so it is
-- dropped and created again, with the same owner and grants as in 008.
DROP FUNCTION auth_session_viewer(text);

CREATE FUNCTION auth_session_viewer(p_session_id text)
RETURNS TABLE (
  session_id text, tenant_id uuid, user_id uuid, secret_hash bytea, session_kind text,
  created_at timestamptz, expires_at timestamptz, last_used_at timestamptz, revoked_at timestamptz,
  tenant_type text, user_kind text, display_name text, is_active boolean,
  profile_id uuid, profile_name text, permissions jsonb, plan text, policies jsonb,
  stored_fingerprint bytea, current_fingerprint bytea,
  replaced_by_session_id text, successor_kind text, successor_created_at timestamptz, successor_expires_at timestamptz,
  successor_live boolean
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
                   FROM tenant_policies tp WHERE tp.tenant_id = s.tenant_id), '[]'::jsonb),
         s.privilege_fingerprint, session_privilege_fingerprint(p.id, u.kind, p.permissions),
         s.replaced_by_session_id, n.kind, n.created_at, n.expires_at,
         coalesce(n.revoked_at IS NULL AND n.expires_at > now(), false)
  FROM sessions s
  JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
  JOIN tenants t ON t.id = s.tenant_id
  JOIN profiles p ON p.tenant_id = u.tenant_id AND p.id = u.profile_id
  LEFT JOIN sessions n ON n.tenant_id = s.tenant_id AND n.id = s.replaced_by_session_id
  WHERE s.id = p_session_id
$$;

ALTER FUNCTION auth_session_viewer(text) OWNER TO talemo_privileged;
REVOKE EXECUTE ON FUNCTION auth_session_viewer(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_session_viewer(text) TO talemo_app;
