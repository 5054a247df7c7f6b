import { Client, getOperationName, makeResult, type Exchange, type Operation } from 'urql';
import { delay, filter, fromValue, map, mergeMap, pipe, share, takeUntil, type Source } from 'wonka';

type GraphQLErrorLike = { message: string; extensions?: Record<string, unknown> };
export type MockResponse = { data?: unknown; errors?: GraphQLErrorLike[] };
/** One answer, or a stream of them (e.g. a wonka subject's source, for a subscription). */
export type Handler = (variables: Record<string, unknown>) => MockResponse | Source<MockResponse>;
export type Call = { name: string; variables: Record<string, unknown> };

/**
 * An exchange answering each operation by name from `handlers` (no network); a stream answers
 * until the operation is torn down. `calls` records every operation sent, for assertions on inputs.
 */
export function mockExchange(handlers: Record<string, Handler>): { exchange: Exchange; calls: Call[] } {
  const calls: Call[] = [];
  const exchange: Exchange = () => (operations$) => {
    const ops$ = share(operations$);
    return pipe(
      ops$,
      filter((op: Operation) => op.kind !== 'teardown'),
      mergeMap((op: Operation) => {
        const name = getOperationName(op.query) ?? 'anonymous';
        const variables = (op.variables ?? {}) as Record<string, unknown>;
        calls.push({ name, variables });
        const handler = handlers[name];
        const response = handler
          ? handler(variables)
          : { errors: [{ message: `no mock for ${name}`, extensions: { code: 'INTERNAL' } }] };
        const responses = typeof response === 'function' ? response : pipe(fromValue(response), delay(1));
        return pipe(
          responses,
          map((r: MockResponse) => makeResult(op, { data: r.data ?? null, errors: r.errors })),
          takeUntil(pipe(ops$, filter((o: Operation) => o.kind === 'teardown' && o.key === op.key))),
        );
      }),
    );
  };
  return { exchange, calls };
}

/** A urql client answering from `handlers` (see mockExchange). */
export function mockClient(handlers: Record<string, Handler>): { client: Client; calls: Call[] } {
  const { exchange, calls } = mockExchange(handlers);
  const client = new Client({ url: '/graphql', exchanges: [exchange] });
  return { client, calls };
}

export function validationError(fields: { field: string; message: string; code?: string }[]): MockResponse {
  return { errors: [{ message: 'validation failed', extensions: { code: 'VALIDATION_FAILED', fields } }] };
}

export function codeError(code: string, message = code.toLowerCase(), reason?: string): MockResponse {
  return { errors: [{ message, extensions: reason ? { code, reason } : { code } }] };
}
