import { describe, expect, it } from 'vitest';
import { CombinedError } from 'urql';
import { GraphQLError } from 'graphql';
import { fieldProblemError, fieldProblemKey, fieldProblems, reasonKey } from './errors';

function combined(extensions: Record<string, unknown>): CombinedError {
  return new CombinedError({ graphQLErrors: [new GraphQLError('refused', { extensions })] });
}

describe('server field codes', () => {
  it('reads the code of each field problem', () => {
    const error = combined({
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'operationalForUsers.phone', message: 'include the country code', code: 'PHONE_NEEDS_COUNTRY_CODE' }, { field: 'x', message: 'old server' }],
    });
    expect(fieldProblems(error)).toEqual([
      { field: 'operationalForUsers.phone', message: 'include the country code', code: 'PHONE_NEEDS_COUNTRY_CODE' },
      { field: 'x', message: 'old server' },
    ]);
  });

  it('maps known codes to catalogue keys, generic ones by field, and unknown ones to the server words', () => {
    expect(fieldProblemKey({ field: 'technicalEmergency[0].email', message: '', code: 'EMAIL_INVALID' })).toBe('serverErrors.EMAIL_INVALID');
    expect(fieldProblemKey({ field: 'technicalEmergency[0].email', message: '', code: 'REQUIRED' })).toBe('validation.emailRequired');
    expect(fieldProblemKey({ field: 'operationalSupport.windows[0].timeZone', message: '', code: 'REQUIRED' })).toBe('validation.timeZoneRequired');
    expect(fieldProblemKey({ field: 'operationalSupport.windows', message: '', code: 'TOO_MANY' })).toBe('serverErrors.TOO_MANY_WINDOWS');
    expect(fieldProblemKey({ field: 'alertContactUserIds', message: '', code: 'TOO_MANY' })).toBe('serverErrors.TOO_MANY_ALERT_CONTACTS');
    expect(fieldProblemKey({ field: 'merchantIssues', message: '', code: 'TOO_MANY' })).toBe('serverErrors.TOO_MANY');
    expect(fieldProblemKey({ field: 'body', message: '', code: 'TOO_LONG' })).toBe('serverErrors.BODY_TOO_LONG');
    expect(fieldProblemKey({ field: 'x', message: 'new rule', code: 'NOT_YET_KNOWN' })).toBeUndefined();
    expect(fieldProblemKey({ field: 'x', message: 'old server' })).toBeUndefined();
    expect(fieldProblemError({ field: 'x', message: 'new rule', code: 'NOT_YET_KNOWN' })).toEqual({ type: 'server', message: 'new rule' });
    expect(fieldProblemError({ field: 'p', message: 'm', code: 'PHONE_INVALID' })).toEqual({ type: 'serverCode', message: 'serverErrors.PHONE_INVALID' });
  });

  it('maps known guard reasons only', () => {
    expect(reasonKey(combined({ code: 'CONFLICT', reason: 'LAST_ADMINISTRATOR' }))).toBe('errorReasons.LAST_ADMINISTRATOR');
    expect(reasonKey(combined({ code: 'VALIDATION_FAILED', reason: 'GRAPHQL_PARSE_FAILED' }))).toBeUndefined();
    expect(reasonKey(combined({ code: 'CONFLICT' }))).toBeUndefined();
  });
});
