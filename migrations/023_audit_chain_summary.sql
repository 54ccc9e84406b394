-- Up Migration
-- How much audit_verify_chain() looked at, so `npm run audit:verify` can say
-- "N rows across M tenants" and a verification of an empty log is not
-- mistaken for one of a full log. Same privileges as the verifier.
CREATE FUNCTION audit_chain_summary(p_tenant uuid DEFAULT NULL)
RETURNS TABLE (row_count bigint, tenant_count bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*), count(DISTINCT a.tenant_id) FROM audit_log a WHERE p_tenant IS NULL OR a.tenant_id = p_tenant
$$;
ALTER FUNCTION audit_chain_summary(uuid) OWNER TO talemo_privileged;
REVOKE EXECUTE ON FUNCTION audit_chain_summary(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_chain_summary(uuid) TO talemo_owner;
