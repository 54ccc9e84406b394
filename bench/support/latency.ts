/** Latency summaries for benchmarks: percentiles over recorded samples (ms). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samplesMs: number[]): { count: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/**
 * Runs `task` from `concurrency` loops until `durationMs` passes or
 * `maxRequests` have been issued, and returns per-request latencies.
 */
export async function closedLoop(task: () => Promise<void>, options: { concurrency: number; durationMs: number; maxRequests: number }) {
  const samples: number[] = [];
  let issued = 0;
  let errors = 0;
  const deadline = performance.now() + options.durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline && issued < options.maxRequests) {
        issued++;
        const t0 = performance.now();
        try {
          await task();
          samples.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { samples, errors, seconds, perSecond: samples.length / seconds };
}
