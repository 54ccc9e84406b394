/**
 * Writes one `llm_usage` row for a provider call, inside the caller's
 * transaction (so it commits with the task's status change, under RLS for
 * the task's tenant). The agents quota endpoint sums these rows.
 */
import type { Tx } from '../../server/db/database.ts';
import type { ProviderUsage } from './provider-usage.ts';

/** What the call was for; kept short and stable because reports group by it. */
export type UsagePurpose = 'moderation' | 'metadata' | 'companion' | 'search' | 'speech' | 'illustration';

export interface UsageRecord {
  tenantId: string;
  /** The agent task the call served; null for calls outside a task (e.g. a search). */
  agentTaskId: string | null;
  purpose: UsagePurpose;
  usage: ProviderUsage;
}

/** Inserts the row and returns its id. */
export async function recordLlmUsage(tx: Tx, record: UsageRecord): Promise<string> {
  const { usage } = record;
  const row = await tx.one<{ id: string }>(
    `INSERT INTO llm_usage (tenant_id, agent_task_id, provider, model, purpose, prompt_tokens, completion_tokens, cost_usd)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      record.tenantId,
      record.agentTaskId,
      usage.provider,
      usage.model,
      record.purpose,
      Math.max(0, Math.round(usage.promptTokens)),
      Math.max(0, Math.round(usage.completionTokens)),
      // A string keeps numeric(12,6) exact; a JS float could round on the way in.
      Math.max(0, usage.costUsd).toFixed(6),
    ],
  );
  return row.id;
}
