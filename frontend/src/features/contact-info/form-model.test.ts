import { describe, expect, it } from 'vitest';
import { emptyInfo } from '../../test/fixtures';
import { buildInput, toFormValues, validateContactForm } from './form-model';

const ctx = { accountId: 'acc-1', environment: 'SANDBOX' as const, expectedVersion: 3, merchantRequirement: 'REQUIRED' as const };

describe('buildInput', () => {
  it('sends only the fields that changed, with the version that was loaded', () => {
    const base = toFormValues(emptyInfo(), true);
    const values = structuredClone(base);
    values.technicalEmergency = [{ name: 'Pager', email: 'pager@partner.example', phone: '' }];
    const { input, changed } = buildInput(values, base, ctx);
    expect(changed).toBe(true);
    expect(input).toEqual({
      accountId: 'acc-1',
      environment: 'SANDBOX',
      expectedVersion: 3,
      technicalEmergency: [{ name: 'Pager', email: 'pager@partner.example' }],
    });
  });

  it('drops blank rows and remembers where the sent rows came from', () => {
    const base = toFormValues(emptyInfo(), true);
    const values = structuredClone(base);
    values.operationalForGoogle = [
      { name: '', email: 'a@partner.example', phone: '' },
      { name: '', email: '', phone: '' },
      { name: '', email: 'b@partner.example', phone: '+39 06 1234 5678' },
    ];
    const { input, indexMaps } = buildInput(values, base, ctx);
    expect(input.operationalForGoogle).toHaveLength(2);
    expect(indexMaps.operationalForGoogle).toEqual([0, 2]);
  });

  it('sends alert contacts only in PRODUCTION, and never an unavailable merchant field', () => {
    const base = toFormValues(emptyInfo(), true);
    const values = structuredClone(base);
    values.alertContactUserIds = ['u-ada'];
    values.merchantIssues = [{ name: '', email: 'm@partner.example', phone: '' }];
    expect(buildInput(values, base, { ...ctx, merchantRequirement: 'UNAVAILABLE' }).input).not.toHaveProperty('alertContactUserIds');
    expect(buildInput(values, base, { ...ctx, merchantRequirement: 'UNAVAILABLE' }).input).not.toHaveProperty('merchantIssues');
    expect(buildInput(values, base, { ...ctx, environment: 'PRODUCTION' }).input.alertContactUserIds).toEqual(['u-ada']);
  });

  it('sends support hours as 24/7 or windows', () => {
    const base = toFormValues(emptyInfo(), true);
    const values = structuredClone(base);
    values.operationalSupport = { mode: 'alwaysOpen', windows: [] };
    expect(buildInput(values, base, ctx).input.operationalSupport).toEqual({ alwaysOpen: true, windows: [] });
    values.operationalSupport = {
      mode: 'windows',
      windows: [{ days: ['MONDAY', 'TUESDAY'], opens: '22:00', closes: '06:00', timeZone: 'Europe/Rome' }],
    };
    expect(buildInput(values, base, ctx).input.operationalSupport).toEqual({
      alwaysOpen: false,
      windows: [{ days: ['MONDAY', 'TUESDAY'], opens: '22:00', closes: '06:00', timeZone: 'Europe/Rome' }],
    });
  });

  it('reports nothing to save when nothing changed', () => {
    const base = toFormValues(emptyInfo(), true);
    expect(buildInput(structuredClone(base), base, ctx).changed).toBe(false);
  });
});

describe('validateContactForm', () => {
  it('checks emails, duplicates, phones and windows', () => {
    const values = toFormValues(emptyInfo(), true);
    values.technicalEmergency = [
      { name: '', email: 'oncall@partner.example', phone: '' },
      { name: '', email: 'ONCALL@partner.example', phone: '' },
      { name: 'x'.repeat(65), email: 'not-an-email', phone: 'call me' },
    ];
    values.operationalSupport = { mode: 'windows', windows: [{ days: [], opens: '09:00', closes: '09:00', timeZone: 'Mars/Olympus' }] };
    const messages = validateContactForm(values).map((i) => `${i.path.join('.')}=${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'technicalEmergency.1.email=validation.duplicateEmail',
        'technicalEmergency.2.email=validation.emailInvalid',
        'technicalEmergency.2.name=validation.nameTooLong',
        'technicalEmergency.2.phone=phone.characters|{"number":"call me","country":""}',
        'operationalSupport.windows.0.days=validation.daysRequired',
        'operationalSupport.windows.0.closes=validation.sameTimes',
        'operationalSupport.windows.0.timeZone=validation.timeZoneInvalid',
      ]),
    );
  });

  it('accepts an empty draft (partial saves are allowed)', () => {
    expect(validateContactForm(toFormValues(emptyInfo(), true))).toEqual([]);
  });
});
