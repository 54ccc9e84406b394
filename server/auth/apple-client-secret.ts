/**
 * Apple's client secret is not a fixed string but a short-lived JWT signed
 * (ES256) with the team's Sign in with Apple key: iss = team id, sub = the
 * Services ID, aud = Apple's issuer. See "Creating a client secret" in
 * Apple's Sign in with Apple REST API documentation. Apple accepts up to six
 * months; we sign one for a day and re-sign well before it runs out.
 */
import { importPKCS8, SignJWT } from 'jose';

const LIFETIME_SECONDS = 24 * 60 * 60;
const RENEW_BEFORE_SECONDS = 60 * 60;

export interface AppleSigningKey {
  teamId: string;
  keyId: string;
  privateKeyPem: string;
}

export class AppleClientSecret {
  private current: { value: string; expiresAt: number } | undefined;

  constructor(
    private readonly key: AppleSigningKey,
    private readonly clientId: string,
    private readonly audience: string,
  ) {}

  /** A secret valid for at least another hour, signing a new one when needed. */
  async value(now = Date.now()): Promise<string> {
    const nowSeconds = Math.floor(now / 1000);
    if (this.current && this.current.expiresAt - nowSeconds > RENEW_BEFORE_SECONDS) return this.current.value;
    const privateKey = await importPKCS8(this.key.privateKeyPem, 'ES256');
    const expiresAt = nowSeconds + LIFETIME_SECONDS;
    const value = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.key.keyId })
      .setIssuer(this.key.teamId)
      .setSubject(this.clientId)
      .setAudience(this.audience)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(expiresAt)
      .sign(privateKey);
    this.current = { value, expiresAt };
    return value;
  }
}
