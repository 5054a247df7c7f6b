import { Client, getOperationName, makeResult, type Exchange, type Operation } from 'urql';
import { filter, fromValue, mergeMap, pipe, delay } from 'wonka';

type GraphQLErrorLike = { message: string; extensions?: Record<string, unknown> };
export type MockResponse = { data?: unknown; errors?: GraphQLErrorLike[] };
export type Handler = (variables: Record<string, unknown>) => MockResponse;
export type Call = { name: string; variables: Record<string, unknown> };

/**
 * A urql client answering each operation by name from `handlers` (no network).
 * `calls` records every operation sent, for assertions on mutation inputs.
 */
export function mockClient(handlers: Record<string, Handler>): { client: Client; calls: Call[] } {
  const calls: Call[] = [];
  const exchange: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op: Operation) => op.kind !== 'teardown'),
      mergeMap((op: Operation) => {
        const name = getOperationName(op.query) ?? 'anonymous';
        const variables = (op.variables ?? {}) as Record<string, unknown>;
        calls.push({ name, variables });
        const handler = handlers[name];
        const response: MockResponse = handler
          ? handler(variables)
          : { errors: [{ message: `no mock for ${name}`, extensions: { code: 'INTERNAL' } }] };
        return pipe(
          fromValue(makeResult(op, { data: response.data ?? null, errors: response.errors })),
          delay(1),
        );
      }),
    );
  const client = new Client({ url: '/graphql', exchanges: [exchange] });
  return { client, calls };
}

export function validationError(fields: { field: string; message: string }[]): MockResponse {
  return { errors: [{ message: 'validation failed', extensions: { code: 'VALIDATION_FAILED', fields } }] };
}

export function codeError(code: string, message = code.toLowerCase()): MockResponse {
  return { errors: [{ message, extensions: { code } }] };
}
