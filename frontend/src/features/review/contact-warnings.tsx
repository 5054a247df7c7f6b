import { Alert, AlertTitle, Box, Link } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { ContactField, ContactWarningCode } from '../../gql/graphql';
import { FORM_KEY, sectionId } from '../contact-info/field-meta';

export type ContactWarningItem = { field?: string | null; code: ContactWarningCode; message: string };

type Contact = { email: string } | null | undefined;
type Info = Partial<Record<string, Contact | Contact[] | unknown>>;

const FIELD_BY_KEY = Object.fromEntries(Object.entries(FORM_KEY).map(([field, key]) => [key, field])) as Record<string, ContactField>;

/** The contact field a warning's path points at ("technicalEmergency[0].email" → TECHNICAL_EMERGENCY). */
export function warningField(path?: string | null): ContactField | undefined {
  if (!path) return undefined;
  const key = path.split(/[[.]/)[0];
  return FIELD_BY_KEY[key] ?? (key === 'operationalForUsers' ? 'OPERATIONAL_FOR_USERS' : undefined);
}

/** The address a warning's path points at, read from the contact info shown. */
function warningEmail(path: string | null | undefined, info: Info | undefined): string {
  if (!path || !info) return '';
  const m = /^(\w+)(?:\[(\d+)\])?\.email$/.exec(path);
  if (!m) return '';
  const value = info[m[1]];
  const contact = (Array.isArray(value) ? value[Number(m[2] ?? 0)] : value) as Contact;
  return contact?.email ?? '';
}

type Props = { warnings: ContactWarningItem[]; info?: Info };

/**
 * Quality warnings about the contact info, inline above the form: advice only, never blocking. Each
 * names its field (a link to that section) and says why, translated by its code.
 */
export function ContactWarnings({ warnings, info }: Props) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  return (
    <Alert severity="warning" variant="outlined" sx={{ mb: 2 }} data-testid="contact-warnings">
      <AlertTitle>{t('review.warningsTitle', { count: warnings.length })}</AlertTitle>
      <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
        {warnings.map((w, i) => {
          const field = warningField(w.field);
          const text = t(`review.warning.${w.code}`, { email: warningEmail(w.field, info), defaultValue: w.message });
          return (
            <li key={`${w.code}-${w.field ?? ''}-${i}`} data-code={w.code}>
              {field ? (
                <>
                  <Link href={`#${sectionId(field)}`} underline="always">{t(`fields.${field}.label`)}</Link>
                  {': '}
                </>
              ) : null}
              {text}
            </li>
          );
        })}
      </Box>
    </Alert>
  );
}
