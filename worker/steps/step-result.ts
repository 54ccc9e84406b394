/**
 * The shape every agent step returns. A step does its slow part (a model
 * call, a synthesis, a storage write) outside any transaction, then hands
 * back what must commit: `apply` writes its rows in the caller's
 * transaction, together with the caller's own status change, and `usage`
 * lists the provider calls to record in `llm_usage` for the task.
 */
import type { Tx } from '../../server/db/database.ts';
import { recordLlmUsage, type ProviderUsage, type UsagePurpose } from '../providers/index.ts';

export interface UsageItem {
  purpose: UsagePurpose;
  usage: ProviderUsage;
}

export interface StepResult<T> {
  usage: UsageItem[];
  /** Writes the step's rows and returns its output (what the task row records). */
  apply(tx: Tx): Promise<T>;
}

/** Records each provider call against the task that made it. */
export async function recordUsage(tx: Tx, tenantId: string, taskId: string, items: readonly UsageItem[]): Promise<void> {
  for (const item of items) await recordLlmUsage(tx, { tenantId, agentTaskId: taskId, purpose: item.purpose, usage: item.usage });
}
