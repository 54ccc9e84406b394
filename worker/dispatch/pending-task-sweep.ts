/**
 * Finds requests the queue never got. The server hands a task to the queue
 * after its row commits; when that fails (the queue was unreachable, the
 * process died in between) the row stays 'pending' and nobody would ever
 * run it. The worker sweeps for such rows when it starts and then every
 * few minutes, and dispatches them again; job ids make a second dispatch of
 * a task that is in fact queued a no-op.
 *
 * Rows across all tenants are listed by pending_agent_tasks() (migration
 * 060), a security-definer function that returns ids only.
 */
import type { Database } from '../../server/db/database.ts';
import type { Logger } from '../../server/observability/logger.ts';
import type { AgentDispatcher } from '../../server/services/agent-dispatcher.ts';
import type { AgentType } from '../../server/services/agent-task-input.ts';

export interface SweepOptions {
  /** Between sweeps after the first. */
  intervalMs: number;
  /** Rows younger than this are left to the server's own dispatch. */
  minAgeMs: number;
  /** At most this many rows per sweep. */
  batch?: number;
}

export interface PendingTaskSweep {
  /** Sweeps once now (tasks of any age), resolving with how many were dispatched. */
  sweepNow(): Promise<number>;
  stop(): Promise<void>;
}

export function startPendingTaskSweep(db: Database, dispatcher: AgentDispatcher, logger: Logger, options: SweepOptions): PendingTaskSweep {
  let running: Promise<number> | null = null;
  let stopped = false;

  const sweep = (minAgeMs: number): Promise<number> => {
    running ??= sweepOnce(db, dispatcher, logger, minAgeMs, options.batch ?? 500).finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    sweep(options.minAgeMs).catch((err: unknown) => logger.error({ err }, 'the sweep for pending agent tasks failed; it runs again shortly'));
  }, options.intervalMs);
  timer.unref();

  return {
    sweepNow: () => sweep(0),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}

async function sweepOnce(db: Database, dispatcher: AgentDispatcher, logger: Logger, minAgeMs: number, batch: number): Promise<number> {
  const rows = await db.transaction({ tenantId: null, userId: null }, (tx) =>
    tx.query<{ id: string; tenant_id: string; agent_type: AgentType; requested_by: string | null }>(
      'SELECT id, tenant_id, agent_type, requested_by FROM pending_agent_tasks(make_interval(secs => $1), $2)',
      [minAgeMs / 1000, batch],
    ),
  );
  let dispatched = 0;
  for (const row of rows) {
    try {
      await dispatcher.enqueue({ id: row.id, tenantId: row.tenant_id, agentType: row.agent_type, requestedBy: row.requested_by });
      dispatched += 1;
    } catch (err) {
      logger.error({ err, task: row.id }, 'could not dispatch a pending agent task; the next sweep tries again');
    }
  }
  if (rows.length > 0) logger.debug({ pending: rows.length, dispatched }, 'swept pending agent tasks');
  return dispatched;
}
