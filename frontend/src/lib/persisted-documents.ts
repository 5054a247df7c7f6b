import { makeOperation, type CombinedError, type Exchange, type Operation } from 'urql';
import { filter, makeSubject, map, merge, pipe, share } from 'wonka';

/** graphql-codegen's persisted-documents hash (sha256 of the operation's text), kept on the document. */
export function documentHash(query: unknown): string | undefined {
  const meta = (query as Record<string, { hash?: unknown } | undefined> | undefined)?.['__meta__'];
  const hash = meta?.hash;
  return typeof hash === 'string' && hash ? hash : undefined;
}

type PersistedContext = { persistedFallback?: boolean };

function isNotFound(error: CombinedError | undefined): boolean {
  return Boolean(
    error?.graphQLErrors.some(
      (e) => (e.extensions as { code?: unknown } | undefined)?.code === 'PERSISTED_QUERY_NOT_FOUND' || e.message === 'PersistedQueryNotFound',
    ),
  );
}

/** A query or mutation with a codegen hash, set to go by hash (unless it is the fallback after a miss). */
function byHash(op: Operation): Operation {
  if (op.kind !== 'query' && op.kind !== 'mutation') return op;
  if ((op.context as PersistedContext).persistedFallback) return op;
  const sha256Hash = documentHash(op.query);
  if (!sha256Hash) return op;
  return makeOperation(op.kind, { ...op, extensions: { ...op.extensions, persistedQuery: { version: 1, sha256Hash } } }, op.context);
}

/**
 * Sends queries and mutations by hash: `extensions.persistedQuery { version: 1, sha256Hash }` and no
 * query text (urql's fetch body leaves the text out when that extension is set). The Go binary embeds
 * the same build's src/gql/persisted-documents.json and knows every hash, so the server neither reads
 * nor parses the text. A server that does not know a hash (the dev server in front of another
 * build) answers PersistedQueryNotFound before running anything: the operation is then sent once
 * more with its full text, without the hash. Subscriptions keep their text (the websocket's own path).
 */
export const persistedDocumentsExchange: Exchange = ({ forward }) => (operations$) => {
  const retries = makeSubject<Operation>();
  const results$ = pipe(merge([pipe(operations$, map(byHash)), retries.source]), forward, share);
  return pipe(
    results$,
    filter((result) => {
      const op = result.operation;
      if (!op.extensions?.persistedQuery || !isNotFound(result.error)) return true;
      const extensions: Record<string, unknown> = { ...op.extensions };
      delete extensions.persistedQuery;
      retries.next(
        makeOperation(op.kind, { ...op, extensions: Object.keys(extensions).length ? extensions : undefined }, {
          ...op.context,
          persistedFallback: true,
        } as Operation['context']),
      );
      return false;
    }),
  );
};
