-- Up Migration
-- Tenants, their profiles (permission templates), members, credentials,
-- identities, sessions, invitations, policies and subscriptions.
--
-- Child tables reference parents through (tenant_id, id) pairs, so a row can
-- never point at another tenant's row even if application code tried.

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  type text NOT NULL CHECK (type IN ('family', 'institution')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER tenants_updated_at BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE profiles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  permissions jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(permissions) = 'object'),
  -- One of the default templates every tenant starts with.
  is_default boolean NOT NULL DEFAULT false,
  write_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX profiles_tenant_name_key ON profiles (tenant_id, lower(name));
CREATE TRIGGER profiles_updated_at BEFORE UPDATE ON profiles FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  profile_id uuid NOT NULL,
  -- Kid accounts have no email and sign in through device pairing.
  kind text NOT NULL DEFAULT 'adult' CHECK (kind IN ('adult', 'kid')),
  email text CHECK (email IS NULL OR (email = lower(email) AND length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+$')),
  display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 80),
  avatar text CHECK (avatar IS NULL OR length(avatar) <= 200),
  is_active boolean NOT NULL DEFAULT true,
  last_login timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  CHECK (kind = 'adult' OR email IS NULL),
  FOREIGN KEY (tenant_id, profile_id) REFERENCES profiles (tenant_id, id)
);
-- An email address signs in to exactly one account, whatever the tenant.
CREATE UNIQUE INDEX users_email_key ON users (email) WHERE email IS NOT NULL;
CREATE INDEX users_tenant_idx ON users (tenant_id, profile_id);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Password hashes live apart from users so nothing that syncs users can carry them.
CREATE TABLE user_credentials (
  user_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  password_hash text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_credentials_tenant_idx ON user_credentials (tenant_id);
CREATE TRIGGER user_credentials_updated_at BEFORE UPDATE ON user_credentials FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE user_identities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  idp_issuer text NOT NULL CHECK (length(idp_issuer) BETWEEN 1 AND 500),
  idp_subject text NOT NULL CHECK (length(idp_subject) BETWEEN 1 AND 255),
  email text,
  metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  -- Globally unique: an identity is bound to one user, hence to one tenant.
  UNIQUE (idp_issuer, idp_subject),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_identities_tenant_idx ON user_identities (tenant_id, user_id);

-- Sessions in Lucia's design: the token is "<id>.<secret>"; only a SHA-256 of
-- the secret is stored.
CREATE TABLE sessions (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 16 AND 64),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
  kind text NOT NULL DEFAULT 'password' CHECK (kind IN ('password', 'oidc', 'invitation', 'signup', 'pairing', 'refresh')),
  -- For a kid session issued by device pairing: the parent session that issued it.
  issued_by_session_id text,
  device_name text CHECK (device_name IS NULL OR length(device_name) <= 120),
  user_agent text CHECK (user_agent IS NULL OR length(user_agent) <= 500),
  ip text CHECK (ip IS NULL OR length(ip) <= 64),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_tenant_user_idx ON sessions (tenant_id, user_id, created_at DESC);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  email text CHECK (email IS NULL OR email = lower(email)),
  profile_id uuid NOT NULL,
  created_by uuid,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, profile_id) REFERENCES profiles (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, accepted_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX invitations_tenant_idx ON invitations (tenant_id, created_at DESC);

CREATE TABLE tenant_policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,63}$'),
  value jsonb NOT NULL,
  updated_by uuid,
  write_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, key),
  FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id)
);
CREATE TRIGGER tenant_policies_updated_at BEFORE UPDATE ON tenant_policies FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid,
  plan text NOT NULL CHECK (plan IN ('free', 'premium', 'institution')),
  status text NOT NULL CHECK (status IN ('active', 'trialing', 'past_due', 'canceled', 'expired')),
  start_date timestamptz NOT NULL DEFAULT now(),
  end_date timestamptz,
  payment_provider text NOT NULL DEFAULT 'none' CHECK (payment_provider IN ('none', 'stripe', 'paypal', 'apple', 'google')),
  provider_subscription_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date >= start_date),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX subscriptions_tenant_idx ON subscriptions (tenant_id, status);
CREATE UNIQUE INDEX subscriptions_provider_key ON subscriptions (payment_provider, provider_subscription_id) WHERE provider_subscription_id IS NOT NULL;
CREATE TRIGGER subscriptions_updated_at BEFORE UPDATE ON subscriptions FOR EACH ROW EXECUTE FUNCTION set_updated_at();
