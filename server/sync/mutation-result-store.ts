/**
 * The answers given to device writes, by write_id (migrations/
 * 070_sync_mutation_results.sql). Read and written inside the mutation's own
 * transaction, so a write and its recorded answer commit together.
 */
import { createHash } from 'node:crypto';
import type { MutationResult, WireMutation } from '../../sync/mutations.ts';
import type { Tx } from '../db/database.ts';

export interface StoredResult {
  user_id: string;
  fingerprint: string;
  result: MutationResult;
}

export interface ResultRecord {
  tenantId: string;
  userId: string;
  deviceId: string;
  wire: WireMutation;
  fingerprint: string;
  result: MutationResult;
}

/** SHA-256 of the mutation's type and payload, with object keys sorted. */
export function fingerprintOf(wire: WireMutation): string {
  return createHash('sha256').update(canonicalJson({ type: wire.type, payload: wire.payload ?? null })).digest('hex');
}

export async function findResult(tx: Tx, tenantId: string, writeId: string): Promise<StoredResult | undefined> {
  return tx.maybeOne<StoredResult>('SELECT user_id, fingerprint, result FROM sync_mutation_results WHERE tenant_id = $1 AND write_id = $2', [tenantId, writeId]);
}

/**
 * Records an answer. False when another request recorded this write_id
 * first (the same batch sent twice at once): the caller's work must then be
 * rolled back and the other answer given.
 */
export async function recordResult(tx: Tx, r: ResultRecord): Promise<boolean> {
  const inserted = await tx.execute(
    `INSERT INTO sync_mutation_results (tenant_id, write_id, user_id, device_id, mutation_type, fingerprint, status, result)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, write_id) DO NOTHING`,
    [r.tenantId, r.wire.write_id, r.userId, r.deviceId, r.wire.type, r.fingerprint, r.result.status, JSON.stringify(r.result)],
  );
  return inserted === 1;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
