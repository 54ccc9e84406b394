-- Up Migration
-- Incoming subscription-status webhooks may arrive twice or out of order
-- (providers retry, and do not promise order). Each subscription remembers
-- the newest provider event applied to it; an event that is not newer
-- changes nothing.
ALTER TABLE subscriptions
  ADD COLUMN provider_event_id text CHECK (provider_event_id IS NULL OR length(provider_event_id) <= 255),
  ADD COLUMN provider_event_at timestamptz;
