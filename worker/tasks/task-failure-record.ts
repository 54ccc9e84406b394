/**
 * Recording a failed attempt where the parent watches: between attempts a
 * note on the task (and its stage) that it is trying again; on the last
 * attempt, or for a failure that cannot heal, the task fails with the
 * parent-readable reason and the agent-task-complete webhook. The error
 * then goes back to BullMQ: UnrecoverableError when retrying cannot help,
 * so the job stops at once, the original error otherwise.
 */
import { UnrecoverableError } from 'bullmq';
import type { JobContext } from '../job-runner.ts';
import { noteOnTask, type AgentTaskRow } from './agent-task-row.ts';
import { finishTask, type CompletionDeps } from './task-completion.ts';
import { describeFailure, retryNote, type Attempts, type Failure, type TaskActivity } from './task-failure.ts';

export function attemptsOf(job: JobContext): Attempts {
  return { attempt: job.attempt, maxAttempts: job.job.opts.attempts ?? 1 };
}

export interface FailureRecording {
  failure: Failure;
  final: boolean;
}

/** Classifies `err` for this attempt: what to tell the parent, and whether this is the end. */
export function failureFor(err: unknown, activity: TaskActivity, job: JobContext): FailureRecording {
  const failure = describeFailure(err, activity, attemptsOf(job));
  return { failure, final: failure.permanent || job.finalAttempt };
}

/**
 * Records the failure on the request and returns what to throw to BullMQ.
 * `extraOutput` joins the failed task's output (the stage, the story).
 */
export async function recordTaskFailure(
  deps: CompletionDeps,
  task: AgentTaskRow,
  err: unknown,
  activity: TaskActivity,
  job: JobContext,
  extra: { output?: Record<string, unknown>; reasonSuffix?: string } = {},
): Promise<Error> {
  const { failure, final } = failureFor(err, activity, job);
  job.logger.warn({ task: task.id, activity, final, err }, `agent task ${final ? 'failed' : 'attempt failed'}: ${failure.detail}`);
  if (!final) {
    await noteOnTask(deps.db, task, retryNote(activity, attemptsOf(job)));
    return asError(err);
  }
  const reason = extra.reasonSuffix ? `${failure.reason} ${extra.reasonSuffix}` : failure.reason;
  await finishTask(deps, task, async () => ({
    status: 'failed',
    output: { outcome: 'failed', activity, failure: { detail: failure.detail, attempts: job.attempt }, ...extra.output },
    error: reason,
  }));
  return failure.permanent ? new UnrecoverableError(reason) : asError(err);
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
