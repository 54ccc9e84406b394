/**
 * `npm run db:role-password <role>`: prints the password Talemo derives for
 * one of its database roles from the instance secret (TALEMO_SECRET, or the
 * data directory's). Deployments need it to point Electric at the
 * replication role.
 */
import { loadConfig } from '../config.ts';
import { instanceSecret } from '../platform/data-dir.ts';
import { rolePassword } from './bootstrap.ts';
import { ROLES, type RoleName } from './roles.ts';

const role = process.argv[2] as RoleName | undefined;
const known = Object.values(ROLES) as string[];
if (!role || !known.includes(role)) {
  process.stderr.write(`usage: npm run db:role-password <${known.join('|')}>\n`);
  process.exit(2);
}
const config = loadConfig();
const secret = instanceSecret(config);
process.stdout.write(`${rolePassword(secret, role)}\n`);
