/**
 * Password hashing with argon2id. The parameters are chosen so one hash costs
 * roughly 50-150 ms on a 2-core server (see bench/password-hash.ts); the
 * encoded hash carries them, so raising them later still verifies old hashes.
 */
import { hash, verify, type Options } from '@node-rs/argon2';

// @node-rs/argon2 exports Algorithm as a const enum, which isolated modules
// cannot read at runtime; 2 is its Argon2id member.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;

export const ARGON2_PARAMS: Options = {
  algorithm: ARGON2ID,
  memoryCost: 65_536, // KiB (64 MiB)
  timeCost: 4,
  parallelism: 1,
  outputLen: 32,
};

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(encodedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(encodedHash, password);
  } catch {
    return false;
  }
}
