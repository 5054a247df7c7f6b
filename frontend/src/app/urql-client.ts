import { Client, cacheExchange, fetchExchange } from 'urql';

// One endpoint, same origin, session cookie. Always POST: the server takes JSON bodies.
export function makeClient(): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: { credentials: 'same-origin', headers: { accept: 'application/graphql-response+json, application/json' } },
  });
}
