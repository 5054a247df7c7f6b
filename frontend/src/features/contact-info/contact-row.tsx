import type { ReactNode } from 'react';
import { Box, Link, TextField, Typography } from '@mui/material';
import { Controller, useFormContext, useWatch, type FieldPath } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../app/use-error-text';
import { checkPhone, countryName, phoneErrorMessage, phoneForServer, telHref } from '../../app/phone';
import { MAX_EMAIL, MAX_NAME, type ContactFormValues } from './form-model';
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
  const errorText = useErrorText();
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

  const input = (part: 'name' | 'email' | 'phone', label: string, extra: { type?: string; autoComplete?: string; maxLength?: number; hint?: string; required?: boolean; end?: ReactNode }) => (
    <Controller
      control={control}
      name={`${prefix}.${part}` as FieldPath<ContactFormValues>}
      render={({ field, fieldState }) => {
        let message = errorText(fieldState.error);
        let invalid = Boolean(fieldState.error);
        let hint = extra.hint;
        // Phones are checked as they are typed: a number that checks out is shown as it will be saved
        // (with its country) once it was edited; a problem is shown at once, except "too short" while the user is still typing.
        const typed = part === 'phone' && !readOnly ? String(field.value ?? '').trim() : '';
        if (typed) {
          const check = checkPhone(typed);
          if (check.ok) {
            if (!message && fieldState.isDirty) {
              hint = t('phone.savedAs', { number: check.international, country: countryName(check.country, i18n.resolvedLanguage ?? 'en') });
            }
          } else if (!message && (fieldState.isTouched || check.problem.key !== 'phone.tooShort')) {
            message = errorText({ message: phoneErrorMessage(check.problem) });
            invalid = true;
          }
        }
        return (
          <TextField
            name={field.name}
            value={(field.value as string | undefined) ?? ''}
            onChange={field.onChange}
            onBlur={field.onBlur}
            inputRef={field.ref}
            label={label}
            type={extra.type ?? 'text'}
            error={invalid}
            helperText={message ?? hint}
            required={extra.required && !readOnly}
            sx={{ gridColumn: { xs: 1, sm: 'auto' } }}
            slotProps={{
              input: extra.end ? { endAdornment: extra.end } : undefined,
              htmlInput: {
                readOnly,
                autoComplete: extra.autoComplete ?? 'off',
                maxLength: extra.maxLength,
                'data-field': field.name,
              },
            }}
          />
        );
      }}
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
      {input('name', t('contact.name'), { autoComplete: 'off', maxLength: MAX_NAME + 10 })}
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
