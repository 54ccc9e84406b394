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

export function usePolicies(): Policies {
  const me = useMe();
  const { rows } = usePolicyRows();
  return useMemo(() => effectivePolicies(me.plan ?? 'free', rows), [me.plan, rows]);
}
