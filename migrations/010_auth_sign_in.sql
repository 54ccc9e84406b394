-- Up Migration
-- What sign-in needs before it knows the tenant.
--
-- 1. Pre-tenant lookups. RLS hides every tenant's rows from the app role until
--    app.tenant is set, but sign-in starts from an email, an identity, an
--    invitation token or a pairing code. As in 008, a few security-definer
--    functions (owned by talemo_privileged, EXECUTE for talemo_app only)
--    answer exactly one question each and return only the ids needed to open
--    the right tenant's transaction; everything else is then read and written
--    under RLS. Single use (invitations, pairing codes) is enforced by the
--    UPDATE under RLS, not here.
-- 2. Rate-limit counters, shared by every server instance.
-- 3. OAuth/OIDC flows in progress (state, PKCE verifier, nonce), kept on the
--    server and taken exactly once.
-- 4. Pairing codes: one-time codes a second device redeems for a kid session.

-- 1. Lookups ------------------------------------------------------------------

-- The password account behind an email. Kid accounts have no email, so never match.
CREATE FUNCTION auth_password_account(p_email text)
RETURNS TABLE (user_id uuid, tenant_id uuid, password_hash text, locked_until timestamptz, is_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.id, u.tenant_id, c.password_hash, c.locked_until, u.is_active
  FROM users u
  JOIN user_credentials c ON c.tenant_id = u.tenant_id AND c.user_id = u.id
  WHERE u.email = lower(p_email)
$$;

-- Which tenant and user an external identity is bound to.
CREATE FUNCTION auth_identity_owner(p_issuer text, p_subject text)
RETURNS TABLE (identity_id uuid, tenant_id uuid, user_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.id, i.tenant_id, i.user_id FROM user_identities i
  WHERE i.idp_issuer = p_issuer AND i.idp_subject = p_subject
$$;

-- An invitation that can still be accepted: not accepted, revoked or expired.
CREATE FUNCTION auth_open_invitation(p_token_hash bytea)
RETURNS TABLE (invitation_id uuid, tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.id, i.tenant_id FROM invitations i
  WHERE i.token_hash = p_token_hash AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
$$;

-- 4. Pairing codes (a tenant-bound table, under RLS like every other) --------

CREATE TABLE pairing_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- SHA-256 of the normalised code; the code itself is shown once and never stored.
  code_hash bytea NOT NULL UNIQUE CHECK (length(code_hash) = 32),
  kid_user_id uuid NOT NULL,
  created_by uuid NOT NULL,
  -- The parent session that asked for the code; becomes the kid session's issued_by_session_id.
  issued_by_session_id text NOT NULL,
  device_name text CHECK (device_name IS NULL OR length(device_name) <= 120),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, kid_user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX pairing_codes_tenant_idx ON pairing_codes (tenant_id, created_at DESC);

ALTER TABLE pairing_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE pairing_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pairing_codes
  USING (tenant_id = NULLIF(current_setting('app.tenant', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON pairing_codes TO talemo_app;

CREATE FUNCTION auth_open_pairing_code(p_code_hash bytea)
RETURNS TABLE (pairing_code_id uuid, tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT p.id, p.tenant_id FROM pairing_codes p
  WHERE p.code_hash = p_code_hash AND p.used_at IS NULL AND p.expires_at > now()
$$;

-- 2. Rate limits --------------------------------------------------------------
-- Fixed-window counters. The bucket is a SHA-256 of "scope:value" (an IP or
-- an email), so the table holds no addresses in clear. Only the function
-- below touches it; the app role has no privilege on the table itself.

CREATE TABLE auth_rate_limits (
  bucket bytea PRIMARY KEY CHECK (length(bucket) = 32),
  hits integer NOT NULL CHECK (hits >= 0),
  window_ends_at timestamptz NOT NULL
);
CREATE INDEX auth_rate_limits_expiry_idx ON auth_rate_limits (window_ends_at);
-- No policies: nobody but the BYPASSRLS function owner reads or writes it.
ALTER TABLE auth_rate_limits ENABLE ROW LEVEL SECURITY;

-- Counts one hit and says whether it is within p_limit for the current
-- window, and how long until the window resets. One statement, so concurrent
-- servers counting the same bucket never lose a hit.
CREATE FUNCTION auth_rate_limit_hit(p_bucket bytea, p_limit integer, p_window_seconds integer)
RETURNS TABLE (allowed boolean, hits integer, retry_after_seconds integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  counted auth_rate_limits;
BEGIN
  INSERT INTO auth_rate_limits AS r (bucket, hits, window_ends_at)
  VALUES (p_bucket, 1, clock_timestamp() + make_interval(secs => p_window_seconds))
  ON CONFLICT (bucket) DO UPDATE SET
    hits = CASE WHEN r.window_ends_at <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
    window_ends_at = CASE WHEN r.window_ends_at <= clock_timestamp()
                          THEN clock_timestamp() + make_interval(secs => p_window_seconds)
                          ELSE r.window_ends_at END
  RETURNING r.* INTO counted;
  -- Occasionally sweep windows long over, so the table stays small without a job.
  IF random() < 0.01 THEN
    DELETE FROM auth_rate_limits WHERE window_ends_at < clock_timestamp() - interval '1 hour';
  END IF;
  RETURN QUERY SELECT counted.hits <= p_limit, counted.hits,
    greatest(1, ceil(extract(epoch FROM counted.window_ends_at - clock_timestamp())))::integer;
END;
$$;

-- 3. OAuth/OIDC flows ---------------------------------------------------------
-- One row per sign-in started with Google or Apple, keyed by a SHA-256 of the
-- state. The browser that started it holds a cookie whose hash is
-- browser_hash, so a callback delivered to another browser is refused.

CREATE TABLE oauth_flows (
  state_hash bytea PRIMARY KEY CHECK (length(state_hash) = 32),
  browser_hash bytea NOT NULL CHECK (length(browser_hash) = 32),
  provider text NOT NULL CHECK (provider IN ('google', 'apple')),
  purpose text NOT NULL CHECK (purpose IN ('sign_in', 'link', 'invitation')),
  code_verifier text NOT NULL CHECK (length(code_verifier) BETWEEN 43 AND 128),
  nonce text NOT NULL CHECK (length(nonce) BETWEEN 16 AND 128),
  return_to text CHECK (return_to IS NULL OR length(return_to) <= 500),
  -- For 'link': the signed-in user and the session that asked.
  link_tenant_id uuid,
  link_user_id uuid,
  link_session_id text,
  -- For 'invitation': the invitation the new identity accepts.
  invitation_token_hash bytea CHECK (invitation_token_hash IS NULL OR length(invitation_token_hash) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CHECK ((purpose = 'link') = (link_user_id IS NOT NULL AND link_tenant_id IS NOT NULL AND link_session_id IS NOT NULL)),
  CHECK ((purpose = 'invitation') = (invitation_token_hash IS NOT NULL))
);
CREATE INDEX oauth_flows_expiry_idx ON oauth_flows (expires_at);
ALTER TABLE oauth_flows ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION auth_oauth_flow_begin(
  p_state_hash bytea, p_browser_hash bytea, p_provider text, p_purpose text, p_code_verifier text, p_nonce text,
  p_return_to text, p_link_tenant_id uuid, p_link_user_id uuid, p_link_session_id text, p_invitation_token_hash bytea,
  p_ttl_seconds integer)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DELETE FROM oauth_flows WHERE expires_at < now() - interval '1 hour';
  INSERT INTO oauth_flows (state_hash, browser_hash, provider, purpose, code_verifier, nonce, return_to,
                           link_tenant_id, link_user_id, link_session_id, invitation_token_hash, expires_at)
  VALUES (p_state_hash, p_browser_hash, p_provider, p_purpose, p_code_verifier, p_nonce, p_return_to,
          p_link_tenant_id, p_link_user_id, p_link_session_id, p_invitation_token_hash,
          now() + make_interval(secs => p_ttl_seconds));
$$;

-- Takes a flow exactly once: the row is deleted whether or not the callback
-- then succeeds, so a state (and the code that came with it) cannot be replayed.
CREATE FUNCTION auth_oauth_flow_take(p_state_hash bytea, p_provider text)
RETURNS TABLE (browser_hash bytea, purpose text, code_verifier text, nonce text, return_to text,
               link_tenant_id uuid, link_user_id uuid, link_session_id text, invitation_token_hash bytea)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DELETE FROM oauth_flows f
  WHERE f.state_hash = p_state_hash AND f.provider = p_provider AND f.expires_at > now()
  RETURNING f.browser_hash, f.purpose, f.code_verifier, f.nonce, f.return_to,
            f.link_tenant_id, f.link_user_id, f.link_session_id, f.invitation_token_hash
$$;

-- Ownership and grants --------------------------------------------------------

GRANT SELECT ON user_credentials, user_identities, invitations, pairing_codes TO talemo_privileged;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_rate_limits, oauth_flows TO talemo_privileged;

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'auth_password_account(text)',
    'auth_identity_owner(text, text)',
    'auth_open_invitation(bytea)',
    'auth_open_pairing_code(bytea)',
    'auth_rate_limit_hit(bytea, integer, integer)',
    'auth_oauth_flow_begin(bytea, bytea, text, text, text, text, text, uuid, uuid, text, bytea, integer)',
    'auth_oauth_flow_take(bytea, text)'
  ] LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO talemo_privileged', f);
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO talemo_app', f);
  END LOOP;
END;
$$;
