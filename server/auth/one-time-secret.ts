/**
 * Secrets handed out once and stored only as a SHA-256: invitation tokens,
 * device pairing codes and the browser-binding value of an OAuth flow. Like
 * session secrets, they come from the OS CSPRNG, and a database leak yields
 * nothing usable.
 */
import { getRandomValues } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeBase64urlNoPadding } from '@oslojs/encoding';

/** SHA-256 of a string's UTF-8 bytes, as stored in *_hash columns. */
export function sha256Of(value: string): Buffer {
  return Buffer.from(sha256(new TextEncoder().encode(value)));
}

/** 160 random bits as 32 base32 characters: long enough to sit in a link and never be guessed. */
export function newLinkToken(): string {
  return encodeBase32LowerCaseNoPadding(getRandomValues(new Uint8Array(20)));
}

/** 256 random bits, base64url: the OAuth browser-binding cookie. */
export function newBrowserBinding(): string {
  return encodeBase64urlNoPadding(getRandomValues(new Uint8Array(32)));
}

/**
 * Letters and digits a child's parent can read aloud and type on a tablet:
 * no 0/O, 1/I/L or U. 8 characters give about 39 bits; a code lives minutes,
 * works once, and redeeming is rate-limited per IP.
 */
const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;

/** A fresh pairing code, shown as XXXX-XXXX. */
export function newPairingCode(): string {
  const out: string[] = [];
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % PAIRING_ALPHABET.length);
  while (out.length < PAIRING_CODE_LENGTH) {
    for (const byte of getRandomValues(new Uint8Array(16))) {
      if (byte < limit && out.length < PAIRING_CODE_LENGTH) out.push(PAIRING_ALPHABET[byte % PAIRING_ALPHABET.length]!);
    }
  }
  return `${out.slice(0, 4).join('')}-${out.slice(4).join('')}`;
}

/** The form a typed code is hashed in: upper case, without separators or spaces. */
export function normalizePairingCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

export const PAIRING_CODE_PATTERN = new RegExp(`^[${PAIRING_ALPHABET}${PAIRING_ALPHABET.toLowerCase()}]{4}-?[${PAIRING_ALPHABET}${PAIRING_ALPHABET.toLowerCase()}]{4}$`);
