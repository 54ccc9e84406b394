/**
 * The device replica, for Node and the browser alike: local schema
 * migrations, pglite-sync subscriptions, overlays with an outbox, the outbox
 * sender and reconciliation. See sync/README.md ("Device").
 */
export { DEVICE_MIGRATIONS, DEVICE_SCHEMA_VERSION, migrateDeviceSchema, type DeviceMigration } from './device-migrations.ts';
export { DeviceSync, SHAPE_PLAN, type DeviceSyncOptions } from './device-sync.ts';
export { bindViewer, boundViewer, ensureDeviceId, readMeta, writeMeta, type DeviceViewer } from './device-meta.ts';
export { clearReplica } from './replica-clear.ts';
export { OutboxSender, type SenderState } from './outbox-sender.ts';
export { applyResults, sweepSettled } from './outbox-results.ts';
export { ShapeSubscription, type ShapeMode, type ShapeState } from './shape-subscriptions.ts';
export { SYNCED_TABLES, syncedTable, type SyncedTable } from './synced-tables.ts';
export type { ServerConnection } from './server-connection.ts';
