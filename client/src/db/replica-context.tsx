import { createContext, useContext, type ReactNode } from 'react';
import type { Replica } from './replica.ts';

const ReplicaContext = createContext<Replica | null>(null);

export function ReplicaProvider({ pg, children }: { pg: Replica; children: ReactNode }) {
  return <ReplicaContext.Provider value={pg}>{children}</ReplicaContext.Provider>;
}

export function useReplica(): Replica {
  const pg = useContext(ReplicaContext);
  if (!pg) throw new Error('useReplica outside ReplicaProvider');
  return pg;
}
