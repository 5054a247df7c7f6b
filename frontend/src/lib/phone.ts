import { Metadata, isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js';

// Phone numbers as people write them: the server stores E.164 ("+390212345678") and always needs the
// country; people write "02 1234 5678" or "+39 02 1234 5678". Numbers are checked here as they are typed
// (libphonenumber-js, the same metadata as the server's libphonenumber), a number without "+" is read in
// the country of the user's locale and shown back in international form before it is saved, and stored
// numbers are shown in international form everywhere.

const ALLOWED = /^\+?[0-9\s\-()./\u00a0\u202f]*$/;

/** The country of the user's locale ("it-IT" → IT), used for numbers written without a country code. */
export function localeCountry(languages: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages): CountryCode | undefined {
  for (const tag of languages) {
    try {
      const region = new Intl.Locale(tag).maximize().region;
      if (region && isSupportedCountry(region)) return region;
    } catch {
      // an invalid tag: try the next
    }
  }
  return undefined;
}

/** The main country of an international number's calling code ("+39 …" → IT, "+1 …" → US). */
function countryOfNumber(international: string): CountryCode | undefined {
  // The main country comes first (+1: US); the method exists at run time but is missing from the typings.
  const metadata = new Metadata() as unknown as { getCountryCodesForCallingCode(code: string): CountryCode[] | undefined };
  const digits = international.replace(/\D/g, '');
  for (let n = 1; n <= 3; n++) {
    const country = metadata.getCountryCodesForCallingCode(digits.slice(0, n))?.[0];
    if (country) return country;
  }
  return undefined;
}

function normalise(raw: string): string {
  const s = raw.trim();
  return s.startsWith('00') ? `+${s.slice(2)}` : s;
}

/** What is wrong with a typed number, as a catalogue key and its values (the country as a region code). */
export type PhoneProblem = {
  key: 'phone.characters' | 'phone.needsCountryCode' | 'phone.unknownCountryCode' | 'phone.tooShort' | 'phone.tooLong' | 'phone.invalid' | 'phone.invalidIn';
  number: string;
  country?: CountryCode;
};

export type PhoneCheck = { ok: true; e164: string; international: string; country?: CountryCode } | { ok: false; problem: PhoneProblem };

/** Checks a typed number; without "+" or "00" it is read in `fallback` (the locale's country; null: none). */
export function checkPhone(raw: string, fallback: CountryCode | null = localeCountry() ?? null): PhoneCheck {
  const typed = raw.trim();
  if (!ALLOWED.test(typed)) return { ok: false, problem: { key: 'phone.characters', number: typed } };
  const s = normalise(typed);
  const international = s.startsWith('+');
  if (!international && !fallback) return { ok: false, problem: { key: 'phone.needsCountryCode', number: typed } };
  const country = international || !fallback ? undefined : fallback;
  const parsed = parsePhoneNumberFromString(s, country);
  const where = parsed?.country ?? (international ? countryOfNumber(s) : country);
  const length = validatePhoneNumberLength(s, country);
  if (length === 'INVALID_COUNTRY') return { ok: false, problem: { key: 'phone.unknownCountryCode', number: typed } };
  if (length === 'TOO_SHORT' || length === 'NOT_A_NUMBER') return { ok: false, problem: { key: 'phone.tooShort', number: typed, country: where } };
  if (length === 'TOO_LONG') return { ok: false, problem: { key: 'phone.tooLong', number: typed, country: where } };
  if (!parsed || !parsed.isValid() || parsed.ext) {
    return { ok: false, problem: where ? { key: 'phone.invalidIn', number: typed, country: where } : { key: 'phone.invalid', number: typed } };
  }
  return { ok: true, e164: parsed.number, international: parsed.formatInternational(), country: where };
}

/** A stored (E.164) number in international form ("+39 02 1234 5678"); anything unparsable as it is. */
export function formatPhone(stored: string): string {
  const parsed = parsePhoneNumberFromString(stored);
  return parsed ? parsed.formatInternational() : stored;
}

/** The tel: link of a stored number. */
export function telHref(stored: string): string {
  const parsed = parsePhoneNumberFromString(stored);
  return parsed ? parsed.getURI() : `tel:${stored.replace(/[^\d+]/g, '')}`;
}

/** The number to send: E.164 when it checks out, otherwise as typed (the server then says what is wrong). */
export function phoneForServer(typed: string): string {
  const check = checkPhone(typed);
  return check.ok ? check.e164 : typed.trim();
}

/** A country's name in the user's language (IT → "Italia" in Italian). */
export function countryName(country: string | undefined, language: string): string {
  if (!country) return '';
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
}

/** A phone problem as a form error message: "catalogueKey|{json values}" (translated when shown). */
export function phoneErrorMessage(problem: PhoneProblem): string {
  return `${problem.key}|${JSON.stringify({ number: problem.number, country: problem.country ?? '' })}`;
}
