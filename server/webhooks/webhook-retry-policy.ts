/**
 * When a failed delivery is tried again: exponential backoff from a base
 * delay (WEBHOOK_RETRY_BASE_MS), doubling per attempt, capped at an hour,
 * with up to 10% jitter so endpoints that failed together do not all retry
 * in the same instant.
 */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
}

/**
 * The delay before attempt `failedAttempt + 1`, or null when `failedAttempt`
 * was the last one allowed.
 */
export function nextRetryDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number | null {
  if (failedAttempt >= policy.maxAttempts) return null;
  const exponential = Math.min(policy.baseMs * 2 ** (failedAttempt - 1), MAX_RETRY_DELAY_MS);
  return Math.round(exponential * (1 + 0.1 * random()));
}
