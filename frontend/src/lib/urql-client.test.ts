import { describe, expect, it } from 'vitest';
import { Client, cacheExchange } from 'urql';
import { makeSubject, pipe, subscribe } from 'wonka';
import { parse } from 'graphql';
import { mockExchange, type MockResponse } from '../test/mock-client';
import { AccessGateChangedDocument } from './live-gate';
import { liveInvalidationExchange, type LiveContext } from './live-invalidation';
import { socketUrl } from './urql-client';

// A plain document (not graphql()): test-only operations stay out of src/gql.
const AccountNameDocument = parse(`
  query AccountName($accountId: ID!) {
    account(id: $accountId) {
      id
      name
    }
  }
`);

const tick = () => new Promise((r) => setTimeout(r, 20));
const gateData = (locked: boolean) => ({
  data: { accessGateChanged: { __typename: 'AccessGate', environment: 'SANDBOX', locked, missing: locked ? ['ALERT_CONTACTS'] : [] } },
});

describe('liveInvalidationExchange', () => {
  it('refreshes cached queries when a subscription result changes, not on the first or a repeated one', async () => {
    const live = makeSubject<MockResponse>();
    const { exchange, calls } = mockExchange({
      AccountName: () => ({ data: { account: { __typename: 'Account', id: 'acc-1', name: 'Demo Partner' } } }),
      AccessGateChanged: () => live.source,
    });
    const client = new Client({ url: '/graphql', exchanges: [cacheExchange, liveInvalidationExchange, exchange] });
    const queried = () => calls.filter((c) => c.name === 'AccountName').length;

    const query = pipe(client.query(AccountNameDocument, { accountId: 'acc-1' }), subscribe(() => {}));
    await tick();
    expect(queried()).toBe(1);

    const context: LiveContext = { invalidates: ['Account'] };
    const sub = pipe(
      client.subscription(AccessGateChangedDocument, { accountId: 'acc-1', environment: 'SANDBOX' }, context),
      subscribe(() => {}),
    );
    await tick();
    live.next(gateData(true)); // the current value
    await tick();
    expect(queried()).toBe(1);
    live.next(gateData(true)); // the same again (e.g. after a reconnection)
    await tick();
    expect(queried()).toBe(1);
    live.next(gateData(false)); // someone completed the contact info
    await tick();
    expect(queried()).toBe(2);

    sub.unsubscribe();
    query.unsubscribe();
  });

  it('leaves subscriptions without `invalidates` alone', async () => {
    const live = makeSubject<MockResponse>();
    const { exchange, calls } = mockExchange({
      AccountName: () => ({ data: { account: { __typename: 'Account', id: 'acc-1', name: 'Demo Partner' } } }),
      AccessGateChanged: () => live.source,
    });
    const client = new Client({ url: '/graphql', exchanges: [cacheExchange, liveInvalidationExchange, exchange] });
    const query = pipe(client.query(AccountNameDocument, { accountId: 'acc-1' }), subscribe(() => {}));
    const sub = pipe(client.subscription(AccessGateChangedDocument, { accountId: 'acc-1', environment: 'SANDBOX' }), subscribe(() => {}));
    await tick();
    live.next(gateData(true));
    live.next(gateData(false));
    await tick();
    expect(calls.filter((c) => c.name === 'AccountName')).toHaveLength(1);
    sub.unsubscribe();
    query.unsubscribe();
  });
});

describe('socketUrl', () => {
  it('is the page origin’s /graphql over ws or wss', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/graphql');
    expect(socketUrl({ protocol: 'https:', host: 'portal.example.com' })).toBe('wss://portal.example.com/graphql');
  });
});
