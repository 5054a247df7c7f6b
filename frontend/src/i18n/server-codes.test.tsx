import { describe, expect, it } from 'vitest';
import { render, renderHook, screen } from '@testing-library/react';
import { CombinedError } from 'urql';
import { GraphQLError } from 'graphql';
import { I18nextProvider } from 'react-i18next';
import type { ReactNode } from 'react';
import i18n from './i18n';
import { en } from './en';
import { it as itCatalogue } from './it';
import { ErrorAlert } from '../components/error-alert';
import { useErrorText } from '../lib/use-error-text';
import { fieldProblemError } from '../lib/errors';
import goSource from '../../../models/fieldcodes.go?raw';

// The server's contract: models/fieldcodes.go names every field code and refusal reason.
const constants = (prefix: string) => [...goSource.matchAll(new RegExp(`^\\s*${prefix}\\w*\\s*=\\s*"([A-Z_0-9]+)"`, 'gm'))].map((m) => m[1]);
const fieldCodes = constants('Field');
// Reasons about how a request reaches the API (introspection, websocket transport): the app never sends such requests.
const transportReasons = ['INTROSPECTION_DISABLED', 'WEBSOCKET_SUBSCRIPTIONS_ONLY', 'SUBSCRIPTION_NEEDS_WEBSOCKET'];
const reasons = constants('Reason').filter((r) => !transportReasons.includes(r));

function refused(extensions: Record<string, unknown>, message = 'an English sentence from the server'): CombinedError {
  return new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions })] });
}

const wrapper = ({ children }: { children: ReactNode }) => <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;

describe('server codes in both catalogues', () => {
  it('reads the codes from the Go source', () => {
    expect(fieldCodes).toContain('PHONE_INVALID');
    expect(fieldCodes.length).toBeGreaterThan(30);
    expect(reasons).toEqual(expect.arrayContaining(['LAST_ADMINISTRATOR', 'ONLY_ALERT_CONTACT', 'OWN_ROLE']));
  });

  it('translates every field code and every reason in English and Italian', () => {
    const missing: string[] = [];
    for (const code of fieldCodes) {
      if (!Object.hasOwn(en.serverErrors, code)) missing.push(`en serverErrors.${code}`);
      if (!Object.hasOwn(itCatalogue.serverErrors, code)) missing.push(`it serverErrors.${code}`);
    }
    for (const reason of reasons) {
      if (!Object.hasOwn(en.errorReasons, reason)) missing.push(`en errorReasons.${reason}`);
      if (!Object.hasOwn(itCatalogue.errorReasons, reason)) missing.push(`it errorReasons.${reason}`);
    }
    expect(missing).toEqual([]);
  });

  it('agrees Obbligatorio and Mancante with each field name in Italian', () => {
    expect(itCatalogue.fields.ALERT_CONTACTS.required).toBe('Obbligatori');
    expect(itCatalogue.fields.TECHNICAL_EMERGENCY.missing).toBe('Mancanti');
    expect(itCatalogue.fields.OPERATIONAL_FOR_USERS.required).toBe('Obbligatorio');
    expect(itCatalogue.fields.OPERATIONAL_SUPPORT.required).toBe('Obbligatoria');
    expect(itCatalogue.fields.OPERATIONAL_SUPPORT.missing).toBe('Mancante');
  });
});

describe('no English server text in the Italian UI', () => {
  it('shows the translated code, not the server words, for an unknown reason in Italian', async () => {
    await i18n.changeLanguage('it');
    render(<ErrorAlert error={refused({ code: 'CONFLICT', reason: 'SOMETHING_NEW' })} />, { wrapper });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(itCatalogue.errors.CONFLICT);
    expect(alert).not.toHaveTextContent('an English sentence from the server');
  });

  it('translates a known reason in Italian', async () => {
    await i18n.changeLanguage('it');
    render(<ErrorAlert error={refused({ code: 'CONFLICT', reason: 'LAST_ADMINISTRATOR' })} />, { wrapper });
    expect(screen.getByRole('alert')).toHaveTextContent(itCatalogue.errorReasons.LAST_ADMINISTRATOR);
  });

  it('tells a long wait (a daily quota) as how long to wait, in Italian', async () => {
    await i18n.changeLanguage('it');
    render(<ErrorAlert error={refused({ code: 'RATE_LIMITED', reason: 'CONTACT_MAIL_QUOTA', retryAfter: 3 * 3600 })} />, { wrapper });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(itCatalogue.errorReasons.CONTACT_MAIL_QUOTA);
    expect(alert).toHaveTextContent('Puoi riprovare tra 3 ore.');
    expect(alert).not.toHaveTextContent('an English sentence from the server');
  });

  it('keeps the server words in English for an unknown reason', async () => {
    await i18n.changeLanguage('en');
    render(<ErrorAlert error={refused({ code: 'CONFLICT', reason: 'SOMETHING_NEW' })} />, { wrapper });
    expect(screen.getByRole('alert')).toHaveTextContent('an English sentence from the server');
  });

  it('gives the Italian generic text for a field problem with an unknown code', async () => {
    await i18n.changeLanguage('it');
    const { result } = renderHook(() => useErrorText(), { wrapper });
    const error = fieldProblemError({ field: 'x', message: 'an English sentence from the server', code: 'NOT_YET_KNOWN' });
    expect(result.current(error)).toBe(itCatalogue.serverErrors.INVALID);
    await i18n.changeLanguage('en');
    const { result: english } = renderHook(() => useErrorText(), { wrapper });
    expect(english.current(error)).toBe('an English sentence from the server');
  });
});
