/**
 * `npm run audit:verify [-- --tenant <uuid>]`: recomputes the audit log's
 * hash chains with audit_verify_chain() (migrations/004_audit_log.sql), as
 * the owner role, the only one allowed to run it. Exit code 0 when every
 * chain is intact, 1 when any row was changed, removed or re-linked (each
 * break is printed), 2 when the check could not run.
 *
 * With the embedded Postgres, start Talemo first (npm start) so the
 * database is up; or set OPERATOR_DATABASE_URL to a talemo_owner URL.
 */
import pg from 'pg';
import { ConfigError, loadConfig } from '../config.ts';
import { ownerDatabaseUrl } from './owner-connection.ts';

interface Break {
  tenant_id: string;
  seq: string;
  problem: string;
}

async function main(argv: string[]): Promise<number> {
  const tenantFlag = argv.indexOf('--tenant');
  const tenant = tenantFlag >= 0 ? argv[tenantFlag + 1] : undefined;
  if (tenantFlag >= 0 && !/^[0-9a-f-]{36}$/i.test(tenant ?? '')) {
    process.stderr.write('--tenant needs a tenant id (a UUID).\n');
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const client = new pg.Client({ connectionString: ownerDatabaseUrl(config), application_name: 'talemo-audit-verify' });
  try {
    await client.connect();
  } catch (err) {
    process.stderr.write(`Cannot connect to the database as talemo_owner: ${(err as Error).message}\nIs Talemo (or its database) running? Or set OPERATOR_DATABASE_URL.\n`);
    return 2;
  }
  try {
    const { rows: breaks } = await client.query<Break>('SELECT tenant_id, seq::text, problem FROM audit_verify_chain($1)', [tenant ?? null]);
    const { rows: totals } = await client.query<{ row_count: string; tenant_count: string }>('SELECT row_count::text, tenant_count::text FROM audit_chain_summary($1)', [tenant ?? null]);
    if (breaks.length === 0) {
      const summary = totals[0]!;
      process.stdout.write(`Audit log verified: every hash chain is intact (${summary.row_count} rows across ${summary.tenant_count} tenants).\n`);
      return 0;
    }
    process.stdout.write(`Audit log FAILED verification: ${breaks.length} break${breaks.length === 1 ? '' : 's'}.\n`);
    for (const b of breaks) process.stdout.write(`  tenant ${b.tenant_id} seq ${b.seq}: ${b.problem}\n`);
    return 1;
  } finally {
    await client.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`audit:verify could not run: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
