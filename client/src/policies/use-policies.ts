/**
 * The tenant's effective policies on this device: the synced (or locally
 * edited) values over the plan's defaults, through the same registry the
 * server uses (shapes/policies.ts). Devices enforce bedtime, daily minutes
 * and volume from this even when offline.
 */
import { useMemo } from 'react';
import { effectivePolicies, type Policies } from '../../../shapes/policies.ts';
import { useMe } from '../app/session.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';

export interface PolicyRow {
  key: string;
  value: unknown;
  _pending: boolean;
}

export function usePolicyRows() {
  return useLiveQuery<PolicyRow>(`SELECT key, value, _pending FROM tenant_policies`);
}

/** The policies, and whether the replica has answered yet (before that they are the plan's defaults). */
export function usePoliciesState(): { policies: Policies; ready: boolean } {
  const me = useMe();
  const { rows, ready } = usePolicyRows();
  const policies = useMemo(() => effectivePolicies(me.plan ?? 'free', rows), [me.plan, rows]);
  return { policies, ready };
}

export function usePolicies(): Policies {
  return usePoliciesState().policies;
}
