import { makeOperation, type Exchange, type OperationContext, type OperationResult } from 'urql';
import { map, onPush, pipe } from 'wonka';

/**
 * A subscription that names typenames in its context's `invalidates` refreshes the cached queries
 * holding those types whenever a result says something different from the one before it, the way
 * a mutation's result does (urql's document cache takes a subscription result's
 * `additionalTypenames` as invalidated). The first result, the current value, invalidates nothing:
 * the queries were just loaded. Goes after `cacheExchange`.
 */
export const liveInvalidationExchange: Exchange = ({ forward }) => {
  const previous = new Map<number, string>();
  return (operations$) =>
    pipe(
      forward(
        pipe(
          operations$,
          onPush((operation) => {
            if (operation.kind === 'teardown') previous.delete(operation.key);
          }),
        ),
      ),
      map((result) => withInvalidation(result, previous)),
    );
};

export type LiveContext = Partial<OperationContext> & { invalidates?: string[] };

function withInvalidation(result: OperationResult, previous: Map<number, string>): OperationResult {
  const { operation } = result;
  const invalidates = (operation.context as LiveContext).invalidates;
  if (operation.kind !== 'subscription' || !invalidates?.length || !result.data) return result;
  const value = JSON.stringify(result.data);
  const before = previous.get(operation.key);
  previous.set(operation.key, value);
  if (before === undefined || before === value) return result;
  const additionalTypenames = [...(operation.context.additionalTypenames ?? []), ...invalidates];
  return { ...result, operation: makeOperation(operation.kind, operation, { ...operation.context, additionalTypenames }) };
}
