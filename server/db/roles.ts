/**
 * The database roles Talemo runs with. Tables belong to the owner; the app
 * connects as a role that owns nothing and cannot bypass RLS; the shape
 * service reads the WAL as the replication role; security-definer functions
 * run as the privileged role, which cannot log in; BullMQ's PostgreSQL backend
 * runs as the queue role, which owns only the `bullmq` schema (the backend
 * creates a sequence per queue at run time) and cannot read tenant data.
 */
export const ROLES = {
  owner: 'talemo_owner',
  app: 'talemo_app',
  replication: 'talemo_replication',
  privileged: 'talemo_privileged',
  queue: 'talemo_queue',
} as const;

/** The schema BullMQ's PostgreSQL backend lives in, owned by the queue role. */
export const QUEUE_SCHEMA = 'bullmq';

export type RoleName = (typeof ROLES)[keyof typeof ROLES];

/** Attributes each role is (re)given at every start, so drift is corrected. */
export const ROLE_ATTRIBUTES: Record<RoleName, string> = {
  [ROLES.owner]: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
  [ROLES.app]: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT',
  [ROLES.replication]: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE REPLICATION BYPASSRLS',
  [ROLES.privileged]: 'NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS',
  [ROLES.queue]: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
};
