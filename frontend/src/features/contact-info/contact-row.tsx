import type { ReactNode } from 'react';
import { Box, Link, Typography } from '@mui/material';
import { useFormContext, useWatch, type ControllerFieldState, type FieldPath } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { FormTextField, type LiveCheck } from '../../components/form-text-field';
import { checkPhone, countryName, phoneErrorMessage, phoneForServer, telHref } from '../../lib/phone';
import { MAX_EMAIL } from '../../lib/email';
import { MAX_NAME, type ContactFormValues } from './form-model';
import { ReachabilityChip } from '../reachability/reachability-chip';
import { useAddress } from '../reachability/reachability-context';

type Props = {
  /** e.g. "technicalEmergency.0" or "operationalForUsers" */
  prefix: string;
  readOnly: boolean;
  groupLabel: string;
  describedBy?: string;
  emailHint?: string;
  /** Show the phone format hint (the first row of a list only, to keep lists quiet). */
  phoneHint?: boolean;
  trailing?: ReactNode;
};

/** Name, email and phone of one contact. */
export function ContactRow({ prefix, readOnly, groupLabel, describedBy, emailHint, phoneHint = true, trailing }: Props) {
  const { t, i18n } = useTranslation();
  const { control } = useFormContext<ContactFormValues>();
  const value = useWatch({ control, name: prefix as FieldPath<ContactFormValues> }) as { name?: string; email?: string; phone?: string } | undefined;
  // The saved address's reachability, once the typed email is one the account lists.
  const address = useAddress(value?.email);
  const chip = address ? <ReachabilityChip address={address} /> : null;

  // Read-only contact info is text to read (and links to use), not a row of empty disabled inputs.
  if (readOnly) {
    const name = value?.name?.trim() ?? '';
    const email = value?.email?.trim() ?? '';
    const phone = value?.phone?.trim() ?? '';
    return (
      <Box role="group" aria-label={groupLabel} aria-describedby={describedBy} sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'baseline' }}>
        {!name && !email && !phone ? (
          <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
            {t('contactInfo.noContacts')}
          </Typography>
        ) : (
          <>
            {name && <Typography sx={{ fontWeight: 500 }}>{name}</Typography>}
            {email && <Link href={`mailto:${email}`}>{email}</Link>}
            {email && chip}
            {phone && <Link href={telHref(phoneForServer(phone))}>{phone}</Link>}
          </>
        )}
      </Box>
    );
  }

  // Phones are checked as they are typed: a number that checks out is shown as it will be saved (with
  // its country) once it was edited; a problem is shown at once, except "too short" while still typing.
  const phoneCheck = (typedValue: unknown, state: ControllerFieldState): LiveCheck => {
    const typed = String(typedValue ?? '').trim();
    if (!typed) return undefined;
    const check = checkPhone(typed);
    if (check.ok) {
      if (!state.isDirty) return undefined;
      return { hint: t('phone.savedAs', { number: check.international, country: countryName(check.country, i18n.resolvedLanguage ?? 'en') }) };
    }
    if (state.isTouched || check.problem.key !== 'phone.tooShort') return { error: { message: phoneErrorMessage(check.problem) } };
    return undefined;
  };

  const input = (part: 'name' | 'email' | 'phone', label: string, extra: { type?: string; maxLength?: number; hint?: string; required?: boolean; end?: ReactNode }) => (
    <FormTextField
      control={control}
      name={`${prefix}.${part}` as FieldPath<ContactFormValues>}
      label={label}
      type={extra.type ?? 'text'}
      hint={extra.hint}
      liveCheck={part === 'phone' ? phoneCheck : undefined}
      required={extra.required}
      sx={{ gridColumn: { xs: 1, sm: 'auto' } }}
      slotProps={{ input: extra.end ? { endAdornment: extra.end } : undefined, htmlInput: { autoComplete: 'off', maxLength: extra.maxLength } }}
    />
  );

  return (
    <Box
      role="group"
      aria-label={groupLabel}
      aria-describedby={describedBy}
      sx={{
        display: 'grid',
        gap: 1.5,
        alignItems: 'start',
        // On a phone the inputs stack and the remove button stays beside them, not below.
        gridTemplateColumns: { xs: trailing ? '1fr auto' : '1fr', sm: trailing ? '1fr 1.25fr 1fr auto' : '1fr 1.25fr 1fr' },
      }}
    >
      {input('name', t('contact.name'), { maxLength: MAX_NAME + 10 })}
      {input('email', t('contact.email'), { type: 'email', maxLength: MAX_EMAIL + 10, hint: emailHint, required: true, end: chip })}
      {input('phone', t('contact.phone'), { type: 'tel', hint: readOnly || !phoneHint ? undefined : t('contact.phoneHint') })}
      {trailing && (
        <Box sx={{ pt: 0.5, gridColumn: { xs: 2, sm: 'auto' }, gridRow: { xs: '1 / span 3', sm: 'auto' }, alignSelf: { xs: 'center', sm: 'start' } }}>
          {trailing}
        </Box>
      )}
    </Box>
  );
}
