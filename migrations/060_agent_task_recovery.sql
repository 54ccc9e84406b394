-- Up Migration
-- What the agent worker needs to recover by itself.
--
-- 1. One row per pipeline stage. A story generation request (a root
--    agent_tasks row) gets one child row per stage; a job that is run again
--    (retry, or recovery after its worker was killed) finds the stage rows it
--    already wrote and skips the completed ones. The unique index makes
--    "create the stage row unless it exists" a single idempotent INSERT.
--
-- 2. Requests the worker never heard of. The server hands a committed task
--    to the queue after COMMIT; if that fails (queue unreachable, process
--    killed in between) the row stays 'pending'. The worker sweeps for such
--    rows across tenants, which the app role cannot do under RLS, so this
--    function runs as talemo_privileged (BYPASSRLS, no login) and returns
--    only what is needed to enqueue: ids, never content.

CREATE UNIQUE INDEX agent_tasks_stage_key ON agent_tasks (parent_task_id, agent_type) WHERE parent_task_id IS NOT NULL;

CREATE FUNCTION pending_agent_tasks(older_than interval, max_rows integer)
RETURNS TABLE (id uuid, tenant_id uuid, agent_type text, requested_by uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t.tenant_id, t.agent_type, t.requested_by
  FROM agent_tasks t
  WHERE t.status = 'pending' AND t.parent_task_id IS NULL AND t.created_at < now() - older_than
  ORDER BY t.created_at
  LIMIT greatest(1, least(max_rows, 1000))
$$;

ALTER FUNCTION pending_agent_tasks(interval, integer) OWNER TO talemo_privileged;
REVOKE EXECUTE ON FUNCTION pending_agent_tasks(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pending_agent_tasks(interval, integer) TO talemo_app;
