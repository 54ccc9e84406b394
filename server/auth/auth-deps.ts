import type { AuthConfig } from '../config.ts';
import type { Database } from '../db/database.ts';

/** What the sign-in services need from the running server. */
export interface AuthDeps {
  db: Database;
  auth: AuthConfig;
  /** The origin browsers use; links and cookie flags derive from it. */
  publicUrl: string;
}
