/**
 * Listening progress from devices: append-only events, never an overwritten
 * position (DESIGN.md). There is no REST route for them; devices record them
 * offline and send them through `POST /api/sync/mutations`.
 *
 * Who may: anyone whose profile allows `stories.read` (listening is reading),
 * about a story they may see (story-visibility.ts, the same rule as the
 * story endpoints), as themselves. The event's id is the device's; an id or
 * write_id already used is refused, never overwritten.
 */
import type { MutationPayload } from '../../sync/mutations.ts';
import { HttpError } from '../http/http-error.ts';
import { authorize, type Actor } from '../services/authorization.ts';
import type { ServiceDeps } from '../services/service-deps.ts';
import { SqlParams } from '../services/sql-params.ts';
import { storyVisibleTo } from '../services/story-visibility.ts';
import { inTenant } from '../services/tenant-transaction.ts';

export type ListeningEventInput = MutationPayload<'listening_event.insert'>;

export class ListeningEventService {
  constructor(private readonly deps: ServiceDeps) {}

  async record(actor: Actor, input: ListeningEventInput, options: { writeId: string }): Promise<{ id: string }> {
    const viewer = authorize(actor, 'stories.read');
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
      const p = new SqlParams();
      const story = await tx.maybeOne(`SELECT 1 FROM stories s WHERE s.id = ${p.add(input.story_id)} AND ${storyVisibleTo(viewer, p)}`, p.values);
      if (!story) throw HttpError.notFound('The story');
      const inserted = await tx.execute(
        `INSERT INTO listening_events (id, tenant_id, user_id, story_id, device_id, position_seconds, event_kind, occurred_at, write_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [input.id, viewer.tenantId, viewer.userId, input.story_id, input.device_id, input.position_seconds, input.event_kind, input.occurred_at, options.writeId],
      );
      if (inserted === 0) throw HttpError.conflict('This listening event was already recorded; nothing needs to be done.');
      return { id: input.id };
    });
  }
}
