-- Up Migration
-- Outgoing webhooks and a record of every delivery attempt.

CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  events text[] NOT NULL CHECK (cardinality(events) > 0 AND events <@ ARRAY[
    'agent-task-complete', 'subscription-status', 'audit-event', 'profile-change', 'tenant-policy-update']),
  -- Signs deliveries (HMAC-SHA256); never leaves the server.
  secret text NOT NULL CHECK (length(secret) >= 32),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
  is_active boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX webhooks_tenant_idx ON webhooks (tenant_id, is_active);
CREATE TRIGGER webhooks_updated_at BEFORE UPDATE ON webhooks FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One row per attempt; attempts of one event share event_id.
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  webhook_id uuid NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  attempt integer NOT NULL CHECK (attempt >= 1),
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  response_status integer,
  response_excerpt text CHECK (response_excerpt IS NULL OR length(response_excerpt) <= 2000),
  error text,
  duration_ms integer,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  next_attempt_at timestamptz,
  FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE,
  UNIQUE (webhook_id, event_id, attempt)
);
CREATE INDEX webhook_deliveries_tenant_idx ON webhook_deliveries (tenant_id, webhook_id, attempted_at DESC);
