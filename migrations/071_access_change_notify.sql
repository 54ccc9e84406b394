-- Up Migration
-- Tells the shape proxy, the moment it commits, that what some member of a
-- tenant may see could have changed: a policy was set, a profile's
-- permissions were edited, or a member moved to another profile (or was
-- deactivated, or changed kind). The proxy then recomputes the shape of each
-- live request it holds for that tenant and ends the ones whose definition
-- changed with a must-refetch, instead of leaving the device on its old
-- shape until the long poll times out (server/sync/access-change-feed.ts).
--
-- The payload is only the tenant id; notifications of one transaction with
-- the same payload are delivered once.

CREATE FUNCTION notify_access_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('talemo_access_changed', (CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END)::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER tenant_policies_access_changed AFTER INSERT OR UPDATE OR DELETE ON tenant_policies
  FOR EACH ROW EXECUTE FUNCTION notify_access_changed();
CREATE TRIGGER profiles_access_changed AFTER UPDATE OF permissions ON profiles
  FOR EACH ROW WHEN (OLD.permissions IS DISTINCT FROM NEW.permissions) EXECUTE FUNCTION notify_access_changed();
CREATE TRIGGER users_access_changed AFTER UPDATE OF profile_id, kind, is_active ON users
  FOR EACH ROW WHEN ((OLD.profile_id, OLD.kind, OLD.is_active) IS DISTINCT FROM (NEW.profile_id, NEW.kind, NEW.is_active))
  EXECUTE FUNCTION notify_access_changed();
