/**
 * Session tokens in Lucia's design: "<id>.<secret>". The id finds the row;
 * the secret (160 bits from the OS CSPRNG) is never stored — only its
 * SHA-256, compared in constant time. A database leak yields no usable token.
 */
import { getRandomValues } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

export interface NewSessionToken {
  id: string;
  token: string;
  secretHash: Uint8Array;
}

const ID_BYTES = 15; // 120 bits → 24 base32 characters
export const SECRET_BYTES = 20; // 160 bits → 32 base32 characters
const PART = /^[a-z2-7]+$/;

function randomPart(bytes: number): string {
  return encodeBase32LowerCaseNoPadding(getRandomValues(new Uint8Array(bytes)));
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/** A new token; `secret` is given only for a rotated session's (session-successor.ts). */
export function generateSessionToken(secret = randomPart(SECRET_BYTES)): NewSessionToken {
  const id = randomPart(ID_BYTES);
  return { id, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a token, or returns undefined for anything not shaped like one of ours. */
export function parseSessionToken(token: string): { id: string; secret: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 2) return undefined;
  const [id, secret] = parts as [string, string];
  if (id.length !== 24 || secret.length !== 32 || !PART.test(id) || !PART.test(secret)) return undefined;
  return { id, secret };
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === storedHash.length && constantTimeEqual(candidate, storedHash);
}
