-- Up Migration
-- The audit log: append-only and hash-chained per tenant. Each row's hash
-- covers its content and the previous row's hash, so any row changed or
-- removed afterwards (even by the owner, who can disable triggers) breaks the
-- chain that audit_verify_chain() recomputes.

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- No foreign key: the trail outlives the tenant it describes.
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  actor_kind text NOT NULL DEFAULT 'user' CHECK (actor_kind IN ('user', 'system', 'operator', 'anonymous')),
  action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.]{1,80}$'),
  target_type text,
  target_id text,
  before jsonb,
  after jsonb,
  ip text,
  request_id text,
  prev_hash bytea,
  hash bytea NOT NULL,
  UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_log_tenant_time_idx ON audit_log (tenant_id, occurred_at DESC);
CREATE INDEX audit_log_tenant_action_idx ON audit_log (tenant_id, action, occurred_at DESC);

-- The canonical form hashed: a JSON array of every content column, in a fixed
-- order. jsonb's text form is deterministic; time is epoch microseconds so the
-- session TimeZone cannot change it.
CREATE FUNCTION audit_row_hash(r audit_log) RETURNS bytea
LANGUAGE sql STABLE AS $$
  SELECT sha256(convert_to(jsonb_build_array(
    r.tenant_id, r.seq, (extract(epoch FROM r.occurred_at) * 1000000)::bigint,
    r.actor_id, r.actor_kind, r.action, r.target_type, r.target_id,
    r.before, r.after, r.ip, r.request_id, encode(r.prev_hash, 'hex')
  )::text, 'UTF8'))
$$;

-- Fills seq, prev_hash and hash, whatever the writer supplied. A per-tenant
-- transaction lock orders concurrent writers, so each sees the last row.
CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  last_seq bigint;
  last_hash bytea;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('talemo.audit:' || NEW.tenant_id::text, 0));
  SELECT a.seq, a.hash INTO last_seq, last_hash
    FROM audit_log a WHERE a.tenant_id = NEW.tenant_id ORDER BY a.seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := last_hash;
  NEW.occurred_at := coalesce(NEW.occurred_at, now());
  NEW.hash := audit_row_hash(NEW);
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Recomputes every chain (or one tenant's) and reports each break: a row
-- whose content no longer matches its hash, a row whose prev_hash is not the
-- previous row's hash, or a gap in seq (a deleted row).
CREATE FUNCTION audit_verify_chain(p_tenant uuid DEFAULT NULL)
RETURNS TABLE (tenant_id uuid, seq bigint, problem text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH ordered AS (
    SELECT a.tenant_id, a.seq, a.hash, a.prev_hash, audit_row_hash(a) AS recomputed,
           lag(a.hash) OVER w AS expected_prev, lag(a.seq) OVER w AS previous_seq
    FROM audit_log a
    WHERE p_tenant IS NULL OR a.tenant_id = p_tenant
    WINDOW w AS (PARTITION BY a.tenant_id ORDER BY a.seq)
  )
  SELECT o.tenant_id, o.seq, checks.problem
  FROM ordered o
  CROSS JOIN LATERAL (VALUES
    (CASE WHEN o.hash IS DISTINCT FROM o.recomputed THEN 'content does not match its hash' END),
    (CASE WHEN o.prev_hash IS DISTINCT FROM o.expected_prev THEN 'prev_hash does not match the previous row' END),
    (CASE WHEN o.seq <> coalesce(o.previous_seq, 0) + 1 THEN 'rows are missing before this one' END)
  ) AS checks (problem)
  WHERE checks.problem IS NOT NULL
  ORDER BY o.tenant_id, o.seq
$$;
