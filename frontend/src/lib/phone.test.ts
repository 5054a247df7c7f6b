import { describe, expect, it } from 'vitest';
import { checkPhone, formatPhone, localeCountry, telHref } from './phone';

describe('phones as people write them', () => {
  it('says what is wrong, with the country the number belongs to', () => {
    expect(checkPhone('+39 123', 'US')).toEqual({ ok: false, problem: { key: 'phone.tooShort', number: '+39 123', country: 'IT' } });
    expect(checkPhone('02 12', 'IT')).toMatchObject({ ok: false, problem: { key: 'phone.tooShort', country: 'IT' } });
    expect(checkPhone('+39 02 1234 5678 9012 3456', 'IT')).toMatchObject({ ok: false, problem: { key: 'phone.tooLong', country: 'IT' } });
    expect(checkPhone('+999 1234 5678', 'IT')).toMatchObject({ ok: false, problem: { key: 'phone.unknownCountryCode' } });
    expect(checkPhone('1-800-FLOWERS', 'US')).toMatchObject({ ok: false, problem: { key: 'phone.characters' } });
    expect(checkPhone('02 1234 5678', null)).toMatchObject({ ok: false, problem: { key: 'phone.needsCountryCode' } });
  });

  it('reads a number without country code in the locale’s country, and 00 as +', () => {
    expect(checkPhone('02 1234 5678', 'IT')).toEqual({ ok: true, e164: '+390212345678', international: '+39 02 1234 5678', country: 'IT' });
    expect(checkPhone('0039 02 1234 5678', 'US')).toMatchObject({ ok: true, e164: '+390212345678' });
    expect(checkPhone('+1 212 555 0100', 'IT')).toMatchObject({ ok: true, e164: '+12125550100', country: 'US' });
  });

  it('shows stored numbers in international form, with tel: links', () => {
    expect(formatPhone('+390212345678')).toBe('+39 02 1234 5678');
    expect(formatPhone('not a number')).toBe('not a number');
    expect(telHref('+390212345678')).toBe('tel:+390212345678');
  });

  it('takes the country from the locale', () => {
    expect(localeCountry(['it-IT'])).toBe('IT');
    expect(localeCountry(['en-US'])).toBe('US');
    expect(localeCountry(['it'])).toBe('IT');
    expect(localeCountry([])).toBeUndefined();
  });
});
