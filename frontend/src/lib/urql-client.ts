import { Client, cacheExchange, fetchExchange, subscriptionExchange, type SubscriptionForwarder } from 'urql';
import { createClient as createSocketClient, type Client as SocketClient } from 'graphql-ws/client';
import { liveInvalidationExchange } from './live-invalidation';
import { persistedDocumentsExchange } from './persisted-documents';

/** ws(s)://<this host>/graphql: the same origin as the page, so the session cookie goes along. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
}

const MAX_RETRY_WAIT_MS = 30_000;
const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 10_000;

/**
 * One websocket (graphql-transport-ws), opened with the first subscription and closed a few seconds
 * after the last one ends. It reconnects quietly, forever, with a capped randomised backoff; graphql-ws
 * then subscribes again and the server answers each subscription with its current value. A socket
 * that stops answering pings is closed, hence reopened.
 */
function openSocket(): SocketClient {
  let current: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  return createSocketClient({
    url: () => socketUrl(),
    lazy: true,
    lazyCloseTimeout: 3_000,
    keepAlive: PING_EVERY_MS,
    retryAttempts: Number.POSITIVE_INFINITY,
    // Also after a failed connection attempt (an error event, not only a close event).
    shouldRetry: () => true,
    retryWait: (retries) =>
      new Promise((resolve) => {
        setTimeout(resolve, Math.min(MAX_RETRY_WAIT_MS, 1000 * 2 ** retries) + Math.random() * 1000);
      }),
    on: {
      opened: (socket) => {
        current = socket as WebSocket;
      },
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        // No pong: the connection died without a close; closing it makes graphql-ws reconnect.
        pongTimer = setTimeout(() => current?.close(4408, 'Request Timeout'), PONG_WITHIN_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      closed: () => {
        clearTimeout(pongTimer);
        current = null;
      },
    },
  });
}

const noop = () => {};

/** urql's subscription forwarder over a socket opened on demand (again after `dispose`). */
function liveConnection(): { forwardSubscription: SubscriptionForwarder; dispose: () => void } {
  let socket: SocketClient | null = null;
  return {
    forwardSubscription: (request) => ({
      subscribe(sink) {
        let unsubscribe = noop;
        try {
          socket ??= openSocket();
          unsubscribe = socket.subscribe({ ...request, query: request.query ?? '' }, sink);
        } catch (error) {
          // No websocket here at all: the subscription fails and the app goes on without live updates.
          sink.error(error);
        }
        return { unsubscribe: () => unsubscribe() };
      },
    }),
    dispose() {
      const closing = socket;
      socket = null;
      void closing?.dispose();
    },
  };
}

const disposers = new WeakMap<Client, () => void>();

/**
 * One endpoint, same origin, session cookie. Queries and mutations: always POST (the server takes
 * JSON bodies), by hash (see persisted-documents.ts). Subscriptions: the websocket above, whose results refresh cached queries when they
 * say something new (see live-invalidation.ts).
 */
export function makeClient(): Client {
  const live = liveConnection();
  const client = new Client({
    url: '/graphql',
    exchanges: [cacheExchange, liveInvalidationExchange, persistedDocumentsExchange, fetchExchange, subscriptionExchange(live)],
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: { credentials: 'same-origin', headers: { accept: 'application/graphql-response+json, application/json' } },
  });
  disposers.set(client, live.dispose);
  return client;
}

/** Closes a client's websocket (after sign-in or sign-out the socket's session is no longer the page's). */
export function closeClient(client: Client): void {
  disposers.get(client)?.();
}
