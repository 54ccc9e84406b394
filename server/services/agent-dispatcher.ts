/**
 * How a committed agent task reaches the worker. The worker's BullMQ queue
 * implements `AgentDispatcher`; the server calls `enqueue` once the
 * `agent_tasks` row has committed. Until a dispatcher is wired in
 * (AppDeps.agents), tasks stay `pending`, which is also what a worker
 * sweeping for pending rows after a crash picks up.
 */
import type { AgentType } from './agent-task-input.ts';

/** What the worker needs to find the task; everything else is on the row. */
export interface AgentTaskRef {
  id: string;
  tenantId: string;
  agentType: AgentType;
  /** The user who asked, for the worker's RLS context. */
  requestedBy: string | null;
}

export interface AgentDispatcher {
  /** Hands a committed task to the worker. A failure leaves the row pending. */
  enqueue(task: AgentTaskRef): Promise<void>;
}

/** The dispatcher used until the worker provides one: tasks wait, pending. */
export const pendingAgentDispatcher: AgentDispatcher = {
  async enqueue() {},
};
