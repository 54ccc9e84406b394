/** The replica's name: PGlite's `idb://<name>` data directory, kept in the IndexedDB database `/pglite/<name>`. */
export const REPLICA_NAME = 'talemo-replica';
