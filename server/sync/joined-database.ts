/**
 * A device write must commit whole: the domain service's change, the
 * write_id stamped on the row, and the recorded answer (so a replay changes
 * nothing). The domain services open their own transactions through
 * `deps.db.transaction`; handing them this facade instead makes every such
 * call join the transaction the mutation already holds.
 *
 * Each joined call runs under a savepoint, as its own transaction would: if
 * the service throws after writing (a refused profile edit that already ran
 * its UPDATE, say), exactly its work is undone and the mutation can still
 * record the refusal.
 */
import type { Database, DbContext, Tx } from '../db/database.ts';

export function joinedDatabase(real: Database, outer: Tx, context: DbContext): Database {
  // Everything but `transaction` (stats, ping, the pool) stays the real one's.
  const joined = Object.create(real) as Database;
  joined.transaction = async <T>(asked: DbContext, work: (tx: Tx) => Promise<T>): Promise<T> => {
    // Services always act as the viewer; another context here would mean a
    // service reaching across tenants inside a device write.
    if (asked.tenantId !== context.tenantId || asked.userId !== context.userId) {
      throw new Error(`a joined transaction for tenant ${context.tenantId} was asked to act as tenant ${asked.tenantId}, user ${asked.userId}`);
    }
    return withSavepoint(outer, () => work(outer));
  };
  // One-statement reads join too: a service's check must see what this write already did.
  joined.read = <R extends object>(asked: DbContext, text: string, params?: readonly unknown[]) => joined.transaction(asked, (tx) => tx.query<R>(text, params));
  return joined;
}

/** Runs `work` under a savepoint of `tx`: undone on throw, kept on success. */
export async function withSavepoint<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
  // Savepoints of the same name stack, so nested joined calls each undo their own.
  await tx.execute('SAVEPOINT talemo_joined');
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await tx.execute('ROLLBACK TO SAVEPOINT talemo_joined');
    await tx.execute('RELEASE SAVEPOINT talemo_joined');
    throw err;
  }
  await tx.execute('RELEASE SAVEPOINT talemo_joined');
  return result;
}
