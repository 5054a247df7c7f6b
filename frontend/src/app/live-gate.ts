import { useEffect, useEffectEvent } from 'react';
import { useClient } from 'urql';
import { graphql } from '../gql/gql';
import type { AccessGateChangedSubscription, Environment } from '../gql/graphql';
import type { LiveContext } from './live-invalidation';

export const AccessGateChangedDocument = graphql(`
  subscription AccessGateChanged($accountId: ID!, $environment: Environment!) {
    accessGateChanged(accountId: $accountId, environment: $environment) {
      environment
      locked
      missing
      reviewDueAt
      reviewOverdue
      reviewLocked
      reviewLocksAt
    }
  }
`);

export type LiveGate = AccessGateChangedSubscription['accessGateChanged'];

// A changed gate means someone saved contact info: refresh what shows the account, as one's own save does.
const context: LiveContext = { invalidates: ['Account', 'AccessGate', 'ContactInfo'] };

/**
 * Follows an account's access gate in one environment over the websocket: `onGate` gets the current
 * gate at once, then every change, e.g. when a colleague completes the contact info. Without a
 * websocket, or when the server refuses, nothing happens: the portal works as it did without.
 */
export function useLiveGate(accountId: string, environment: Environment, enabled: boolean, onGate: (gate: LiveGate) => void): void {
  const client = useClient();
  const deliver = useEffectEvent(onGate);
  useEffect(() => {
    if (!enabled || !accountId) return undefined;
    const { unsubscribe } = client
      .subscription(AccessGateChangedDocument, { accountId, environment }, context)
      .subscribe((result) => {
        const gate = result.data?.accessGateChanged;
        if (gate && gate.environment === environment) deliver(gate);
      });
    return unsubscribe;
  }, [client, accountId, environment, enabled]);
}
