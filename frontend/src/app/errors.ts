import type { CombinedError } from 'urql';
import type { ContactField } from '../gql/graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'CONFLICT'
  | 'CONTACT_INFO_REQUIRED'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL'
  | 'NETWORK';

const KNOWN: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'CONFLICT',
  'CONTACT_INFO_REQUIRED',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'INTERNAL',
]);

export type FieldProblem = { field: string; message: string };

function extensionsOf(error: CombinedError | undefined): Record<string, unknown> | undefined {
  return error?.graphQLErrors[0]?.extensions as Record<string, unknown> | undefined;
}

/** The first GraphQL error's code; NETWORK when the server could not be reached or answered garbage. */
export function errorCode(error: CombinedError | undefined): ErrorCode | undefined {
  if (!error) return undefined;
  for (const e of error.graphQLErrors) {
    const code = (e.extensions as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && KNOWN.has(code)) return code as ErrorCode;
  }
  if (error.networkError) {
    const status = (error.response as { status?: number } | undefined)?.status;
    if (status === 401) return 'UNAUTHENTICATED';
    if (status === 429) return 'RATE_LIMITED';
    return 'NETWORK';
  }
  return 'INTERNAL';
}

export function hasCode(error: CombinedError | undefined, code: ErrorCode): boolean {
  if (!error) return false;
  return error.graphQLErrors.some((e) => (e.extensions as { code?: unknown } | undefined)?.code === code) || errorCode(error) === code;
}

/** The server's own words (English), without urql's "[GraphQL] " prefix. */
export function serverMessage(error: CombinedError | undefined): string {
  if (!error) return '';
  const first = error.graphQLErrors[0];
  if (first) return first.message;
  return error.networkError?.message ?? error.message.replace(/^\[(GraphQL|Network)\]\s*/, '');
}

export function fieldProblems(error: CombinedError | undefined): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of error?.graphQLErrors ?? []) {
    const fields = (e.extensions as { fields?: unknown } | undefined)?.fields;
    if (!Array.isArray(fields)) continue;
    for (const f of fields) {
      if (f && typeof f === 'object' && typeof (f as FieldProblem).field === 'string') {
        out.push({ field: (f as FieldProblem).field, message: String((f as FieldProblem).message ?? '') });
      }
    }
  }
  return out;
}

export function missingFromError(error: CombinedError | undefined): ContactField[] {
  const missing = extensionsOf(error)?.missing;
  return Array.isArray(missing) ? (missing.filter((m) => typeof m === 'string') as ContactField[]) : [];
}

export function requestIdOf(error: CombinedError | undefined): string | undefined {
  const id = extensionsOf(error)?.requestId;
  return typeof id === 'string' ? id : undefined;
}
