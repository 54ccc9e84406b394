/**
 * Webhook signatures in Stripe's scheme, used both ways:
 * - outgoing, as `Talemo-Signature: t=<unix>,v1=<hex>`;
 * - incoming from the payment provider, as `Stripe-Signature: t=…,v1=…`.
 *
 * v1 is hex HMAC-SHA256(secret, `${t}.${rawBody}`). The timestamp is signed
 * with the body, so a captured delivery cannot be replayed once it falls
 * outside the tolerance window. Receivers must verify against the raw bytes
 * they received, before parsing them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Hex HMAC-SHA256 over `${timestamp}.${body}`. */
export function computeSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The header value for a body signed now (or at `timestamp`). */
export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

export interface VerifyOptions {
  /** Largest difference between the signed timestamp and now. */
  toleranceSeconds: number;
  now?: number;
}

/**
 * Checks a `t=…,v1=…` header against the raw body. Any one matching v1
 * passes (a sender rolling its secret signs with both). Reasons are for logs
 * and the 400 message; they never reveal the expected signature.
 */
export function verifySignatureHeader(header: string | undefined, body: string, secret: string, options: VerifyOptions): SignatureCheck {
  if (!header) return { ok: false, reason: 'the signature header is missing' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestamp === undefined) return { ok: false, reason: 'the signature header has no timestamp (t=…)' };
  if (candidates.length === 0) return { ok: false, reason: 'the signature header has no v1 signature' };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > options.toleranceSeconds) {
    return { ok: false, reason: `the signed timestamp is more than ${options.toleranceSeconds} seconds from now` };
  }
  const expected = Buffer.from(computeSignature(secret, timestamp, body), 'hex');
  const matches = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'no signature matches the body' };
}
