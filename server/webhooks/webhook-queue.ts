/**
 * Where committed deliveries wait for the processor. The worker's BullMQ
 * queue implements `WebhookDeliveryQueue` (a job per ref, delayed by
 * `delayMs`, running `processWebhookDelivery` and enqueueing the retry it
 * returns). Until it is wired in, `InProcessWebhookQueue` runs deliveries in
 * this process with timers: the same processor and records, but retries that
 * are scheduled when the process stops stay `pending` in webhook_deliveries.
 */
import type { Logger } from '../observability/logger.ts';
import type { WebhookDeliveryRef } from './webhook-events.ts';
import type { DeliveryOutcome } from './webhook-delivery.ts';

export interface WebhookDeliveryQueue {
  /** Schedules one attempt; `delayMs` for retries. */
  enqueue(ref: WebhookDeliveryRef, options?: { delayMs?: number }): Promise<void>;
}

export type DeliveryProcessor = (ref: WebhookDeliveryRef) => Promise<DeliveryOutcome>;

export class InProcessWebhookQueue implements WebhookDeliveryQueue {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly process: DeliveryProcessor,
    private readonly logger?: Logger,
  ) {}

  async enqueue(ref: WebhookDeliveryRef, options: { delayMs?: number } = {}): Promise<void> {
    if (this.closed) throw new Error('The webhook queue is closed; the delivery stays pending.');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.run(ref);
    }, options.delayMs ?? 0);
    // A pending retry must not keep a stopping process alive.
    timer.unref();
    this.timers.add(timer);
  }

  /** Resolves once nothing is scheduled or running. */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.running.size > 0) {
      await Promise.race([...this.running, new Promise((r) => setTimeout(r, 5))]);
    }
  }

  /** Drops scheduled attempts (their rows stay pending) and waits for running ones. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private run(ref: WebhookDeliveryRef): void {
    const job = this.process(ref)
      .then(async (outcome) => {
        if (outcome.retry && !this.closed) await this.enqueue(outcome.retry.ref, { delayMs: outcome.retry.delayMs });
      })
      .catch((err: unknown) => {
        this.logger?.error({ err, delivery: ref.deliveryId }, 'webhook delivery could not be processed; it stays pending');
      })
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }
}
