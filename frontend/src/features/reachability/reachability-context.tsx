import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useClient, useQuery } from 'urql';
import type { AccountReachabilityQuery } from '../../gql/graphql';
import type { LiveContext } from '../../lib/live-invalidation';
import { AccountReachabilityDocument, ReachabilityChangedDocument } from './reachability-data';

export type Address = NonNullable<AccountReachabilityQuery['account']>['addresses'][number];
export type Summary = NonNullable<AccountReachabilityQuery['account']>['reachability'];

type Value = {
  accountId: string;
  /** May resend verifications and send test messages (EDITOR and up). */
  canAct: boolean;
  summary?: Summary;
  addresses: Address[];
  byEmail: Map<string, Address>;
};

const ReachabilityContext = createContext<Value | null>(null);

// A state change means the addresses' chips and the banner are stale.
const live: LiveContext = { invalidates: ['Account', 'Reachability'] };

/** Loads an account's addresses and their reachability, and follows changes on the live channel. */
export function ReachabilityProvider({ accountId, canAct, children }: { accountId: string; canAct: boolean; children: ReactNode }) {
  const client = useClient();
  const [{ data }] = useQuery({ query: AccountReachabilityDocument, variables: { accountId }, pause: !accountId });
  useEffect(() => {
    if (!accountId) return undefined;
    const { unsubscribe } = client.subscription(ReachabilityChangedDocument, { accountId }, live).subscribe(() => {});
    return unsubscribe;
  }, [client, accountId]);
  const value = useMemo<Value>(() => {
    const addresses = data?.account?.addresses ?? [];
    return {
      accountId,
      canAct,
      summary: data?.account?.reachability,
      addresses,
      byEmail: new Map(addresses.map((a) => [a.email, a])),
    };
  }, [accountId, canAct, data]);
  return <ReachabilityContext.Provider value={value}>{children}</ReachabilityContext.Provider>;
}

/** The account's reachability, or null outside a ReachabilityProvider. */
export function useReachability(): Value | null {
  return useContext(ReachabilityContext);
}

/** One address's reachability (matched as the server stores it: trimmed, lower case). */
export function useAddress(email: string | undefined): Address | undefined {
  const ctx = useContext(ReachabilityContext);
  if (!ctx || !email) return undefined;
  return ctx.byEmail.get(email.trim().toLowerCase());
}
