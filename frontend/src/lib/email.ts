import { z } from 'zod';

/** The server's limit on an address (models.MaxEmailLength). */
export const MAX_EMAIL = 254;

/**
 * What the browser calls an email address: something@something.tld, no spaces. Looser than zod's
 * default pattern on purpose: the server accepts international addresses ("zoë@caffè.it") and
 * makes the final decision (mail.ParseAddress and its own limits), and its problems come back as field
 * errors. The TLD of two or more characters catches the common slip of a missing ".com".
 */
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/u;

/** The address format alone, as zod's email check with the pattern above. */
export const emailFormat = z.email({ pattern: ADDRESS, error: 'validation.emailInvalid' });

/** A required email field: trimmed, at most MAX_EMAIL characters, an address. Messages are catalogue keys. */
export const emailSchema = z
  .string()
  .trim()
  .min(1, 'validation.emailRequired')
  .max(MAX_EMAIL, 'validation.emailTooLong')
  .pipe(emailFormat);

/** Whether a (trimmed) string is an email address by the same rule. */
export function isEmail(value: string): boolean {
  return emailFormat.safeParse(value).success;
}
