/**
 * Applies a device's mutation batch (sync/mutations.ts), in order, one
 * transaction per mutation:
 *
 * 1. A write_id already answered gets that answer again and changes
 *    nothing (a device resends a batch whose answer it lost).
 * 2. Otherwise the mutation is checked and applied through the domain
 *    services (mutation-appliers.ts), which join this transaction.
 * 3. The answer is recorded with the write, and what the services hand on
 *    after commit (agent tasks, webhook deliveries) is passed on only once
 *    the transaction has committed.
 *
 * A mutation answered `retry` stops the batch there: the ones after it are
 * answered `retry` without being tried, because they may build on it (an
 * edit after a create) and the device resends them in order.
 */
import type { Viewer } from '../../shapes/viewer.ts';
import { parseMutation, type MutationBatch, type MutationResult, type WireMutation } from '../../sync/mutations.ts';
import type { Tx } from '../db/database.ts';
import { AgentTaskService } from '../services/agent-task-service.ts';
import { signedIn, type Actor } from '../services/authorization.ts';
import { PolicyService } from '../services/policy-service.ts';
import { ProfileService } from '../services/profile-service.ts';
import type { ServiceDeps } from '../services/service-deps.ts';
import { StoryService } from '../services/story-service.ts';
import { HeldHandOffs } from './held-hand-offs.ts';
import { joinedDatabase, withSavepoint } from './joined-database.ts';
import { ListeningEventService } from './listening-event-service.ts';
import { applyMutation, type DeviceWriteServices } from './mutation-appliers.ts';
import { accepted, outcomeOf, rejected, retry } from './mutation-outcome.ts';
import { findResult, fingerprintOf, recordResult, type StoredResult } from './mutation-result-store.ts';

/** Thrown inside the transaction to roll it back and answer `retry`. */
class RetryLater extends Error {
  constructor(readonly result: MutationResult) {
    super(result.message);
  }
}

/** Another request recorded this write_id while we worked: ours is rolled back. */
class AnsweredElsewhere extends Error {}

export class MutationService {
  constructor(private readonly deps: ServiceDeps) {}

  async applyBatch(actor: Actor, batch: MutationBatch): Promise<MutationResult[]> {
    const viewer = signedIn(actor);
    const results: MutationResult[] = [];
    let blocked = false;
    for (const wire of batch.mutations) {
      if (blocked) {
        results.push(retry(wire.write_id, 'Waiting for an earlier change from this device to be saved first; it will be sent again automatically.'));
        continue;
      }
      const result = await this.applyOne(actor, viewer, batch.device_id, wire);
      blocked = result.status === 'retry';
      results.push(result);
    }
    return results;
  }

  private async applyOne(actor: Actor, viewer: Viewer, deviceId: string, wire: WireMutation): Promise<MutationResult> {
    const context = { tenantId: viewer.tenantId, userId: viewer.userId };
    const fingerprint = fingerprintOf(wire);
    const held = new HeldHandOffs();
    try {
      const result = await this.deps.db.transaction(context, async (tx) => {
        const prior = await findResult(tx, viewer.tenantId, wire.write_id);
        if (prior) return replayAnswer(prior, viewer, wire.write_id, fingerprint);
        const answer = await this.decide(tx, actor, viewer, wire, held);
        if (!(await recordResult(tx, { tenantId: viewer.tenantId, userId: viewer.userId, deviceId, wire, fingerprint, result: answer }))) throw new AnsweredElsewhere();
        return answer;
      });
      await held.release(this.deps);
      return result;
    } catch (err) {
      if (err instanceof RetryLater) return err.result;
      if (err instanceof AnsweredElsewhere) {
        const prior = await this.deps.db.transaction(context, (tx) => findResult(tx, viewer.tenantId, wire.write_id), { readOnly: true });
        return prior ? replayAnswer(prior, viewer, wire.write_id, fingerprint) : retry(wire.write_id);
      }
      // BEGIN or COMMIT failed (the database went away): nothing was applied.
      this.deps.logger.warn({ err, writeId: wire.write_id, requestId: actor.meta.requestId }, 'device write not applied; the device will retry');
      return retry(wire.write_id);
    }
  }

  /** The answer for a write seen for the first time; applied writes stay in `tx`. */
  private async decide(tx: Tx, actor: Actor, viewer: Viewer, wire: WireMutation, held: HeldHandOffs): Promise<MutationResult> {
    const parsed = parseMutation(wire);
    if (!parsed.ok) return rejected(wire.write_id, parsed.message, parsed.errors);
    const m = parsed.mutation;
    try {
      const note = await withSavepoint(tx, () => applyMutation(m, { services: this.servicesIn(tx, viewer, held), actor, viewer, tx, held }));
      return accepted(m.write_id, note);
    } catch (err) {
      // The savepoint undid the write; a service may already have handed on work for it.
      held.discard();
      const outcome = outcomeOf(m.type, m.write_id, err);
      if (outcome.kind === 'rejected') return outcome.result;
      if (outcome.unexpected) this.deps.logger.error({ err, type: m.type, writeId: m.write_id, requestId: actor.meta.requestId }, 'device write failed unexpectedly; answered retry');
      throw new RetryLater(outcome.result);
    }
  }

  /** The domain services, running inside `tx` and holding their hand-offs until it commits. */
  private servicesIn(tx: Tx, viewer: Viewer, held: HeldHandOffs): DeviceWriteServices {
    const deps: ServiceDeps = {
      ...this.deps,
      db: joinedDatabase(this.deps.db, tx, { tenantId: viewer.tenantId, userId: viewer.userId }),
      agents: held.agents,
      webhookQueue: held.webhookQueue,
    };
    return {
      stories: new StoryService(deps),
      profiles: new ProfileService(deps),
      policies: new PolicyService(deps),
      agents: new AgentTaskService(deps),
      listening: new ListeningEventService(deps),
    };
  }
}

/**
 * The earlier answer, when the same person resends the same change. A
 * write_id reused by someone else, or for a different change, is refused
 * without revealing the earlier answer.
 */
function replayAnswer(prior: StoredResult, viewer: Viewer, writeId: string, fingerprint: string): MutationResult {
  if (prior.user_id !== viewer.userId) {
    return rejected(writeId, "This change could not be saved: its id was already used by another member's device. Make the change again.");
  }
  if (prior.fingerprint !== fingerprint) {
    return rejected(writeId, 'This change could not be saved: its id was already used for a different change. Make the change again; if this keeps happening, update the app.');
  }
  return prior.result;
}
