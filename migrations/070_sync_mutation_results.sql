-- Up Migration
-- The answer given to each device write (POST /api/sync/mutations), keyed by
-- the write_id the device made. A device that lost the answer sends the batch
-- again; the server then finds the write here and answers exactly as before,
-- changing nothing. The row is written in the same transaction as the write
-- itself, so "applied" and "recorded" can never come apart.
--
-- Append-only for the app role: a result never changes once given.

CREATE TABLE sync_mutation_results (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  write_id uuid NOT NULL,
  -- Who sent it: a replay from anyone else is refused rather than answered.
  user_id uuid NOT NULL,
  device_id text NOT NULL CHECK (length(device_id) BETWEEN 1 AND 128),
  mutation_type text NOT NULL CHECK (length(mutation_type) BETWEEN 1 AND 64),
  -- SHA-256 of the mutation's type and payload: the same write_id carrying a
  -- different change is a device bug, and is refused instead of answered.
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  status text NOT NULL CHECK (status IN ('accepted', 'rejected')),
  -- The result exactly as answered: {write_id, status, message?, errors?}.
  result jsonb NOT NULL CHECK (jsonb_typeof(result) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, write_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
-- For pruning old results by age, tenant by tenant.
CREATE INDEX sync_mutation_results_tenant_created_idx ON sync_mutation_results (tenant_id, created_at);

ALTER TABLE sync_mutation_results ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_mutation_results FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_mutation_results
  USING (tenant_id = NULLIF(current_setting('app.tenant', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant', true), '')::uuid);

GRANT SELECT, INSERT ON sync_mutation_results TO talemo_app;
