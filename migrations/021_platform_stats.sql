-- Up Migration
-- Platform statistics across tenants, for the platform operator only.
--
-- The app role can never see across tenants (RLS), and must not be able to
-- call this either: it is owned by talemo_privileged (BYPASSRLS, no login)
-- and only talemo_owner may execute it. The server reaches it through a
-- separate operator connection (OPERATOR_DATABASE_URL), behind
-- PLATFORM_OPERATOR_TOKEN. It returns aggregates only: no names, no ids.

GRANT SELECT ON stories, assets, agent_tasks, llm_usage, listening_events TO talemo_privileged;

CREATE FUNCTION platform_stats() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT jsonb_build_object(
    'tenants', (SELECT jsonb_build_object(
        'total', count(*),
        'family', count(*) FILTER (WHERE type = 'family'),
        'institution', count(*) FILTER (WHERE type = 'institution'),
        'created_last_30_days', count(*) FILTER (WHERE created_at > now() - interval '30 days'))
      FROM tenants),
    'users', (SELECT jsonb_build_object(
        'total', count(*),
        'active', count(*) FILTER (WHERE is_active),
        'adults', count(*) FILTER (WHERE kind = 'adult'),
        'kids', count(*) FILTER (WHERE kind = 'kid'),
        'signed_in_last_30_days', count(*) FILTER (WHERE last_login > now() - interval '30 days'))
      FROM users),
    'subscriptions', (SELECT coalesce(jsonb_object_agg(plan, n), '{}'::jsonb)
      FROM (SELECT plan, count(*) AS n FROM subscriptions WHERE status IN ('active', 'trialing', 'past_due') GROUP BY plan) p),
    'stories', (SELECT jsonb_build_object(
        'total', count(*),
        'published', count(*) FILTER (WHERE is_published),
        'public', count(*) FILTER (WHERE visibility = 'public' AND is_published AND moderation_status = 'approved'))
      FROM stories),
    'assets', (SELECT jsonb_build_object('count', count(*), 'bytes', coalesce(sum(size_bytes), 0)) FROM assets),
    'agent_tasks_this_month', (SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb)
      FROM (SELECT status, count(*) AS n FROM agent_tasks WHERE created_at >= date_trunc('month', now()) GROUP BY status) s),
    'llm_usage_this_month', (SELECT jsonb_build_object(
        'prompt_tokens', coalesce(sum(prompt_tokens), 0),
        'completion_tokens', coalesce(sum(completion_tokens), 0),
        'cost_usd', coalesce(sum(cost_usd), 0))
      FROM llm_usage WHERE created_at >= date_trunc('month', now())),
    'listening_events_last_7_days', (SELECT count(*) FROM listening_events WHERE occurred_at > now() - interval '7 days'),
    'generated_at', now()
  )
$$;

ALTER FUNCTION platform_stats() OWNER TO talemo_privileged;
REVOKE EXECUTE ON FUNCTION platform_stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform_stats() TO talemo_owner;
