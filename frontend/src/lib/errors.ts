import type { CombinedError } from 'urql';
import type { ContactField } from '../gql/graphql';
import { en } from '../i18n/en';

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

/** One entry of a VALIDATION_FAILED error's extensions.fields; code is the server's machine-readable name. */
export type FieldProblem = { field: string; message: string; code?: string };

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

/**
 * Whether the server's own (English) words may be shown: only in English. In any other language a
 * message the catalogue cannot translate falls back to the translated text of its code instead.
 */
export function showsServerText(language: string | undefined): boolean {
  return (language ?? 'en').toLowerCase().startsWith('en');
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
        const code = (f as FieldProblem).code;
        out.push({
          field: (f as FieldProblem).field,
          message: String((f as FieldProblem).message ?? ''),
          ...(typeof code === 'string' && code ? { code } : {}),
        });
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

type ServerErrorKey = keyof typeof en.serverErrors;
type ReasonKey = keyof typeof en.errorReasons;

function isServerErrorKey(key: string): key is ServerErrorKey {
  return Object.hasOwn(en.serverErrors, key);
}

/**
 * The catalogue key ("serverErrors.PHONE_NEEDS_COUNTRY_CODE", or a field's own "validation.…" wording)
 * that translates a server field problem, or undefined when its code is unknown (then the server's
 * English message is shown). The limits the server's messages mention are the documented ones, so the
 * catalogue states them itself; a few generic codes get the wording of the field they are about.
 */
export function fieldProblemKey(problem: FieldProblem): string | undefined {
  const code = problem.code;
  if (!code || !isServerErrorKey(code)) return undefined;
  const segments = problem.field.replace(/\[\d+\]/g, '').split('.');
  const last = segments.at(-1) ?? '';
  const head = segments[0] === 'input' ? (segments[1] ?? '') : (segments[0] ?? '');
  if (code === 'REQUIRED') {
    const byField: Record<string, string> = {
      email: 'validation.emailRequired',
      administratorEmail: 'validation.emailRequired',
      timeZone: 'validation.timeZoneRequired',
      name: 'validation.nameRequired',
      password: 'validation.passwordRequired',
      subject: 'validation.subjectRequired',
      body: 'validation.bodyRequired',
      integrationTypes: 'validation.typesRequired',
    };
    return byField[last] ?? 'serverErrors.REQUIRED';
  }
  if (code === 'TOO_MANY') {
    if (head === 'alertContactUserIds') return 'serverErrors.TOO_MANY_ALERT_CONTACTS';
    if (last === 'windows') return 'serverErrors.TOO_MANY_WINDOWS';
    return 'serverErrors.TOO_MANY';
  }
  if (code === 'TOO_LONG') {
    if (last === 'body') return 'serverErrors.BODY_TOO_LONG';
    if (last === 'subject' || last === 'name') return 'validation.subjectTooLong';
    return 'serverErrors.TOO_LONG';
  }
  return `serverErrors.${code}`;
}

/**
 * A react-hook-form error for a server field problem: a catalogue key (translated when shown, so a
 * language switch follows) when the code is known, otherwise the server's own words (type "server").
 */
export function fieldProblemError(problem: FieldProblem): { type: string; message: string } {
  const key = fieldProblemKey(problem);
  return key ? { type: 'serverCode', message: key } : { type: 'server', message: problem.message };
}

/** The catalogue key of the first error's extensions.reason (e.g. "errorReasons.LAST_ADMINISTRATOR"), if known. */
/** A RATE_LIMITED error's wait in seconds (extensions.retryAfter), if it says. */
export function retryAfterOf(error: CombinedError | undefined): number | undefined {
  const v = extensionsOf(error)?.retryAfter;
  return typeof v === 'number' && v > 0 ? v : undefined;
}

export function reasonKey(error: CombinedError | undefined): `errorReasons.${ReasonKey}` | undefined {
  const reason = extensionsOf(error)?.reason;
  if (typeof reason === 'string' && Object.hasOwn(en.errorReasons, reason)) return `errorReasons.${reason as ReasonKey}`;
  return undefined;
}
