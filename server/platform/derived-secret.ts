import { createHmac } from 'node:crypto';

/**
 * Derives an independent key for one purpose from the instance secret, so that
 * one stored secret yields database passwords, signing keys and the shape
 * service secret without any of them revealing another.
 */
export function deriveSecret(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(`talemo:${purpose}`).digest('base64url');
}
