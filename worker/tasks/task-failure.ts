/**
 * What a failure means for a task: whether trying again can help, and what
 * to tell the parent. Parents read `agent_tasks.error` on their device, so
 * it says in plain words what went wrong and what they can do; the
 * technical message (which endpoint, which variable to check) goes to the
 * logs and to `output.failure.detail` for whoever runs the instance.
 */
import { ProviderError } from '../providers/provider-errors.ts';
import { InvalidAssetContentError, StorageBackendError, UnsupportedMediaTypeError } from '../../server/storage/index.ts';

/** What the task was doing when it failed, for the sentence the parent reads. */
export type TaskActivity =
  | 'quota'
  | 'moderation'
  | 'metadata'
  | 'narration'
  | 'illustration'
  | 'publish'
  | 'companion'
  | 'search'
  | 'personalization';

const DOING: Record<TaskActivity, string> = {
  quota: 'checking this month’s story allowance',
  moderation: 'checking that the story suits children',
  metadata: 'working out the story’s language, reading level and tags',
  narration: 'recording the narration',
  illustration: 'drawing the cover',
  publish: 'publishing the story',
  companion: 'writing the story with the companion',
  search: 'searching the library',
  personalization: 'choosing recommendations',
};

const SERVICE: Record<TaskActivity, string> = {
  quota: 'the story service',
  moderation: 'the language service',
  metadata: 'the language service',
  narration: 'the voice service',
  illustration: 'the illustration service',
  publish: 'the story service',
  companion: 'the language service',
  search: 'the language service',
  personalization: 'the story service',
};

/**
 * A refusal with a reason meant for the parent as written: the story was
 * deleted, the storage allowance is used up, the request cannot be read.
 * Never retried.
 */
export class TaskRefusal extends Error {
  override readonly name = 'TaskRefusal';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface Failure {
  /** For the parent: what happened and what they can do. */
  reason: string;
  /** For the operator: the error as thrown. */
  detail: string;
  /** True when trying again cannot help. */
  permanent: boolean;
}

export interface Attempts {
  attempt: number;
  maxAttempts: number;
}

export function describeFailure(err: unknown, activity: TaskActivity, attempts: Attempts): Failure {
  const detail = err instanceof Error ? err.message : String(err);
  const doing = DOING[activity];
  const service = SERVICE[activity];
  const later = 'Please try again later; if it keeps happening, tell your administrator.';
  if (err instanceof TaskRefusal) return { reason: err.reason, detail, permanent: true };
  if (err instanceof ProviderError) {
    if (err.retryable) return { reason: `${capitalise(service)} did not answer properly while ${doing}${tries(attempts)}. ${later}`, detail, permanent: false };
    switch (err.name) {
      case 'ProviderInputError':
        return { reason: `We could not finish ${doing}: ${err.message}`, detail, permanent: true };
      case 'ProviderEngineError':
        return { reason: `Something went wrong while ${doing}. ${later}`, detail, permanent: true };
      default:
        // Credentials, exhausted credit, a refused request, a wrong endpoint: configuration, not the story.
        return { reason: `We could not finish ${doing}: ${service} is not set up correctly, so an administrator needs to check it.`, detail, permanent: true };
    }
  }
  if (err instanceof StorageBackendError && !err.retryable) {
    return { reason: `We could not save the story’s files while ${doing}: the file storage needs an administrator’s attention.`, detail, permanent: true };
  }
  if (err instanceof InvalidAssetContentError || err instanceof UnsupportedMediaTypeError) {
    return { reason: `Something went wrong while ${doing}. ${later}`, detail, permanent: true };
  }
  return { reason: `Something went wrong on our side while ${doing}${tries(attempts)}. ${later}`, detail, permanent: false };
}

/**
 * The failure recorded for a job that failed for good without its handler
 * recording why: BullMQ gave up on it after its workers died too often, or
 * the handler could not reach the database to write its own reason.
 */
export function abandonedFailure(error: Error): Failure {
  const stalled = /stalled/i.test(error.message);
  return {
    reason: stalled
      ? 'The worker making this stopped unexpectedly several times, so we gave up. Please try again; if it keeps happening, tell your administrator.'
      : 'Something went wrong on our side and we gave up after several tries. Please try again later; if it keeps happening, tell your administrator.',
    detail: error.message,
    permanent: true,
  };
}

/** The note left on a task between attempts, so a waiting parent knows it is not stuck. */
export function retryNote(activity: TaskActivity, attempts: Attempts): string {
  return `Attempt ${attempts.attempt} of ${attempts.maxAttempts} at ${DOING[activity]} did not work; trying again shortly.`;
}

function tries(attempts: Attempts): string {
  return attempts.attempt > 1 ? ` (we tried ${attempts.attempt} times)` : '';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
