/**
 * The database roles Talemo runs with. Tables belong to the owner; the app
 * connects as a role that owns nothing and cannot bypass RLS; the shape
 * service reads the WAL as the replication role; security-definer functions
 * run as the privileged role, which cannot log in.
 */
export const ROLES = {
  owner: 'talemo_owner',
  app: 'talemo_app',
  replication: 'talemo_replication',
  privileged: 'talemo_privileged',
} as const;

export type RoleName = (typeof ROLES)[keyof typeof ROLES];

/** Attributes each role is (re)given at every start, so drift is corrected. */
export const ROLE_ATTRIBUTES: Record<RoleName, string> = {
  [ROLES.owner]: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
  [ROLES.app]: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT',
  [ROLES.replication]: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE REPLICATION BYPASSRLS',
  [ROLES.privileged]: 'NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS',
};
