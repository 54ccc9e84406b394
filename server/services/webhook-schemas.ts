/** What the webhook management endpoints accept. */
import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-events.ts';
import { lineText } from '../../shapes/text-fields.ts';

export const createWebhookBody = z
  .object({
    url: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .url('must be an absolute URL such as https://example.com/talemo-hook')
      .refine((u) => /^https?:\/\//i.test(u), 'must start with https:// (or http:// outside production)'),
    events: z
      .array(z.enum(WEBHOOK_EVENTS, { message: `must be one of ${WEBHOOK_EVENTS.join(', ')}` }))
      .min(1, 'must name at least one event')
      .max(WEBHOOK_EVENTS.length, `must name at most ${WEBHOOK_EVENTS.length} events`),
    description: lineText(200).default(''),
  })
  .strict();
export type CreateWebhookInput = z.output<typeof createWebhookBody>;
