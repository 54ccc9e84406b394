/**
 * The token of a session rotated for a privilege change is derived from the
 * token it replaces: its secret is an HMAC of the old token under a key from
 * the instance secret. Only the new secret's SHA-256 is stored, as for any
 * session.
 *
 * Why: the new token rides on the response of the request that noticed the
 * change, and that response can be lost (the device aborted its long-poll,
 * the connection dropped). A request made with the old token during the
 * grace window is then handed the same new token again, which the server can
 * only compute from a request that holds the old one. After the window the
 * old token neither works nor yields the new one, so a token known before
 * the change still never carries the new privileges for long.
 */
import { createHmac } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Config } from '../config.ts';
import { deriveSecret } from '../platform/derived-secret.ts';
import { instanceSecret } from '../platform/data-dir.ts';
import { SECRET_BYTES } from './session-token.ts';

export class SuccessorSecrets {
  #key: Buffer | undefined;

  constructor(private readonly readSecret: () => string) {}

  /** Keyed by TALEMO_SECRET, or the data directory's secret; read on first use. */
  static fromConfig(config: Config): SuccessorSecrets {
    return new SuccessorSecrets(() => instanceSecret(config));
  }

  /** The secret of the session that replaces the presented one. */
  secretFor(presented: { id: string; secret: string }): string {
    this.#key ??= Buffer.from(deriveSecret(this.readSecret(), 'session-successor:v1'), 'base64url');
    const mac = createHmac('sha256', this.#key).update(`${presented.id}.${presented.secret}`).digest();
    return encodeBase32LowerCaseNoPadding(mac.subarray(0, SECRET_BYTES));
  }
}
