import { z } from 'zod';
import type {
  ContactInfoFieldsFragment,
  ContactInput,
  DayOfWeek,
  Environment,
  Requirement,
  SupportHoursInput,
  UpdateContactInfoInput,
} from '../../gql/graphql';
import { getFragmentData } from '../../gql/fragment-masking';
import { DAYS } from '../../lib/format';
import { SupportHoursFieldsDoc } from './support-hours-summary';
import { browserTimeZone, isValidTimeZone } from './time-zones';
import { isEmail, MAX_EMAIL } from '../../lib/email';
import { checkPhone, formatPhone, phoneErrorMessage, phoneForServer } from '../../lib/phone';

export type ContactValue = { name: string; email: string; phone: string };
export type WindowValue = { days: DayOfWeek[]; opens: string; closes: string; timeZone: string };
export type SupportMode = 'unset' | 'alwaysOpen' | 'windows';

export type ContactFormValues = {
  alertContactUserIds: string[];
  technicalEmergency: ContactValue[];
  technicalNonEmergency: ContactValue[];
  merchantIssues: ContactValue[];
  operationalForGoogle: ContactValue[];
  operationalForUsers: ContactValue;
  operationalSupport: { mode: SupportMode; windows: WindowValue[] };
};

export const LIST_FIELDS = ['technicalEmergency', 'technicalNonEmergency', 'merchantIssues', 'operationalForGoogle'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export const MAX_CONTACTS = 10;
export const MAX_NAME = 64;

export const blankContact = (): ContactValue => ({ name: '', email: '', phone: '' });

export const defaultWindow = (): WindowValue => ({
  days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
  opens: '09:00',
  closes: '17:00',
  timeZone: browserTimeZone(),
});

type ServerContact = { name?: string | null; email: string; phone?: string | null };

// Stored numbers are E.164; the form shows them as people write them ("+39 02 1234 5678").
const toContactValue = (c: ServerContact): ContactValue => ({ name: c.name ?? '', email: c.email, phone: c.phone ? formatPhone(c.phone) : '' });

export function isBlank(c: ContactValue): boolean {
  return !c.name.trim() && !c.email.trim() && !c.phone.trim();
}

/** Form values from the server's contact info; editable forms get one empty row in empty lists. */
export function toFormValues(info: ContactInfoFieldsFragment, editable: boolean): ContactFormValues {
  const list = (items: readonly ServerContact[]) => {
    const values = items.map(toContactValue);
    return editable && values.length === 0 ? [blankContact()] : values;
  };
  const support = getFragmentData(SupportHoursFieldsDoc, info.operationalSupport);
  return {
    alertContactUserIds: info.alertContacts.map((u) => u.id),
    technicalEmergency: list(info.technicalEmergency),
    technicalNonEmergency: list(info.technicalNonEmergency),
    merchantIssues: list(info.merchantIssues),
    operationalForGoogle: list(info.operationalForGoogle),
    operationalForUsers: info.operationalForUsers ? toContactValue(info.operationalForUsers) : blankContact(),
    operationalSupport: support
      ? {
          mode: support.alwaysOpen ? 'alwaysOpen' : 'windows',
          windows: support.windows.map((w) => ({ days: [...w.days], opens: w.opens, closes: w.closes, timeZone: w.timeZone })),
        }
      : { mode: 'unset', windows: [] },
  };
}

const toContactInput = (c: ContactValue): ContactInput => {
  const input: ContactInput = { email: c.email.trim() };
  if (c.name.trim()) input.name = c.name.trim();
  if (c.phone.trim()) input.phone = phoneForServer(c.phone);
  return input;
};

const normList = (items: ContactValue[]) => JSON.stringify(items.filter((c) => !isBlank(c)).map(toContactInput));
const normContact = (c: ContactValue) => (isBlank(c) ? 'null' : JSON.stringify(toContactInput(c)));
const normSupport = (s: ContactFormValues['operationalSupport']) =>
  s.mode === 'unset'
    ? 'unset'
    : s.mode === 'alwaysOpen'
      ? 'always'
      : JSON.stringify(s.windows.map((w) => ({ ...w, days: [...w.days].sort((a, b) => DAYS.indexOf(a) - DAYS.indexOf(b)) })));
const normIds = (ids: string[]) => JSON.stringify([...ids].sort());

export type SaveContext = {
  accountId: string;
  environment: Environment;
  expectedVersion: number;
  merchantRequirement: Requirement;
};

/** Where each sent list entry came from in the form (blank rows are not sent). */
export type IndexMaps = Partial<Record<ListField, number[]>>;

/**
 * The mutation input for what changed between `base` (what was loaded) and `values`:
 * unchanged fields are omitted so the server leaves them alone.
 */
export function buildInput(
  values: ContactFormValues,
  base: ContactFormValues,
  ctx: SaveContext,
): { input: UpdateContactInfoInput; indexMaps: IndexMaps; changed: boolean } {
  const input: UpdateContactInfoInput = {
    accountId: ctx.accountId,
    environment: ctx.environment,
    expectedVersion: ctx.expectedVersion,
  };
  const indexMaps: IndexMaps = {};
  let changed = false;

  for (const field of LIST_FIELDS) {
    if (field === 'merchantIssues' && ctx.merchantRequirement === 'UNAVAILABLE') continue;
    if (normList(values[field]) === normList(base[field])) continue;
    const kept: number[] = [];
    values[field].forEach((c, i) => {
      if (!isBlank(c)) kept.push(i);
    });
    input[field] = kept.map((i) => toContactInput(values[field][i]));
    indexMaps[field] = kept;
    changed = true;
  }

  if (normContact(values.operationalForUsers) !== normContact(base.operationalForUsers)) {
    input.operationalForUsers = isBlank(values.operationalForUsers) ? null : toContactInput(values.operationalForUsers);
    changed = true;
  }

  const support = values.operationalSupport;
  if (support.mode !== 'unset' && normSupport(support) !== normSupport(base.operationalSupport)) {
    const hours: SupportHoursInput =
      support.mode === 'alwaysOpen'
        ? { alwaysOpen: true, windows: [] }
        : {
            alwaysOpen: false,
            windows: support.windows.map((w) => ({ days: w.days, opens: w.opens, closes: w.closes, timeZone: w.timeZone })),
          };
    input.operationalSupport = hours;
    changed = true;
  }

  // Alert contacts exist only in PRODUCTION and may only be sent there.
  if (ctx.environment === 'PRODUCTION' && normIds(values.alertContactUserIds) !== normIds(base.alertContactUserIds)) {
    input.alertContactUserIds = values.alertContactUserIds;
    changed = true;
  }

  return { input, indexMaps, changed };
}

/** Which form fields differ between two sets of values (used by the conflict dialog). */
export function changedKeys(a: ContactFormValues, b: ContactFormValues): (keyof ContactFormValues)[] {
  const out: (keyof ContactFormValues)[] = [];
  if (normIds(a.alertContactUserIds) !== normIds(b.alertContactUserIds)) out.push('alertContactUserIds');
  for (const field of LIST_FIELDS) if (normList(a[field]) !== normList(b[field])) out.push(field);
  if (normContact(a.operationalForUsers) !== normContact(b.operationalForUsers)) out.push('operationalForUsers');
  if (normSupport(a.operationalSupport) !== normSupport(b.operationalSupport)) out.push('operationalSupport');
  return out;
}

// ---- client-side validation (messages are catalogue keys, translated when shown) ----

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const contactSchema = z.object({ name: z.string(), email: z.string(), phone: z.string() });
const windowSchema = z.object({
  days: z.array(z.enum(DAYS as [DayOfWeek, ...DayOfWeek[]])),
  opens: z.string(),
  closes: z.string(),
  timeZone: z.string(),
});

type Issue = { path: (string | number)[]; message: string };

function checkContact(c: ContactValue, path: (string | number)[], issues: Issue[], allowBlank: boolean) {
  if (allowBlank && isBlank(c)) return;
  const email = c.email.trim();
  if (!email) issues.push({ path: [...path, 'email'], message: 'validation.emailRequired' });
  else if (email.length > MAX_EMAIL) issues.push({ path: [...path, 'email'], message: 'validation.emailTooLong' });
  else if (!isEmail(email)) issues.push({ path: [...path, 'email'], message: 'validation.emailInvalid' });
  if (c.name.trim().length > MAX_NAME) issues.push({ path: [...path, 'name'], message: 'validation.nameTooLong' });
  const phone = c.phone.trim();
  if (phone) {
    const check = checkPhone(phone);
    if (!check.ok) issues.push({ path: [...path, 'phone'], message: phoneErrorMessage(check.problem) });
  }
}

export function validateContactForm(v: ContactFormValues): Issue[] {
  const issues: Issue[] = [];
  for (const field of LIST_FIELDS) {
    const rows = v[field];
    const seen = new Set<string>();
    let count = 0;
    rows.forEach((c, i) => {
      checkContact(c, [field, i], issues, true);
      if (isBlank(c)) return;
      count++;
      const key = c.email.trim().toLowerCase();
      if (key && seen.has(key)) issues.push({ path: [field, i, 'email'], message: 'validation.duplicateEmail' });
      seen.add(key);
    });
    if (count > MAX_CONTACTS) issues.push({ path: [field, 'root'], message: 'validation.tooManyContacts' });
  }
  checkContact(v.operationalForUsers, ['operationalForUsers'], issues, true);
  if (v.alertContactUserIds.length > MAX_CONTACTS) issues.push({ path: ['alertContactUserIds'], message: 'validation.tooManyContacts' });
  if (v.operationalSupport.mode === 'windows') {
    if (v.operationalSupport.windows.length === 0) issues.push({ path: ['operationalSupport', 'mode'], message: 'validation.windowsRequired' });
    v.operationalSupport.windows.forEach((w, i) => {
      const path = ['operationalSupport', 'windows', i];
      if (w.days.length === 0) issues.push({ path: [...path, 'days'], message: 'validation.daysRequired' });
      if (!TIME.test(w.opens)) issues.push({ path: [...path, 'opens'], message: 'validation.timeInvalid' });
      if (!TIME.test(w.closes)) issues.push({ path: [...path, 'closes'], message: 'validation.timeInvalid' });
      else if (w.opens === w.closes) issues.push({ path: [...path, 'closes'], message: 'validation.sameTimes' });
      if (!w.timeZone) issues.push({ path: [...path, 'timeZone'], message: 'validation.timeZoneRequired' });
      else if (!isValidTimeZone(w.timeZone)) issues.push({ path: [...path, 'timeZone'], message: 'validation.timeZoneInvalid' });
    });
  }
  return issues;
}

export const contactFormSchema = z
  .object({
    alertContactUserIds: z.array(z.string()),
    technicalEmergency: z.array(contactSchema),
    technicalNonEmergency: z.array(contactSchema),
    merchantIssues: z.array(contactSchema),
    operationalForGoogle: z.array(contactSchema),
    operationalForUsers: contactSchema,
    operationalSupport: z.object({ mode: z.enum(['unset', 'alwaysOpen', 'windows']), windows: z.array(windowSchema) }),
  })
  .superRefine((values, ctx) => {
    for (const issue of validateContactForm(values)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
