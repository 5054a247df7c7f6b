import { Alert, AlertTitle, Box, Chip, Link, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { ContactField } from '../../gql/graphql';
import { sectionId } from './field-meta';
import type { MemberOption } from './alert-contacts-field';

/** Why the form cannot be edited, and (for a READ_ONLY member) whom to ask. */
export function ReadOnlyNotice({
  reason,
  administrators,
  variant,
}: {
  reason?: 'member' | 'staff';
  administrators: MemberOption[];
  variant: 'modal' | 'page';
}) {
  const { t } = useTranslation();
  return (
    <Alert severity="info" sx={{ mb: 2 }}>
      <AlertTitle>{t(reason === 'staff' ? 'contactInfo.staffReadOnlyTitle' : 'contactInfo.readOnlyTitle')}</AlertTitle>
      {reason === 'staff' ? (
        t('contactInfo.staffReadOnly')
      ) : (
        <>
          {t('contactInfo.readOnlyAsk')}
          {administrators.length > 0 && (
            <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5 }} aria-label={t('contactInfo.administrators')}>
              {administrators.map((a) => (
                <li key={a.id}>
                  {a.name ? `${a.name} — ` : ''}
                  <Link href={`mailto:${a.email}`}>{a.email}</Link>
                </li>
              ))}
            </Box>
          )}
          {variant === 'modal' && <Box sx={{ mt: 0.5 }}>{t('contactInfo.readOnlyUsersTab')}</Box>}
        </>
      )}
    </Alert>
  );
}

/** What the gate still waits for, each a link to its section. */
export function MissingNotice({ missing }: { missing: readonly ContactField[] }) {
  const { t } = useTranslation();
  return (
    <Alert severity="warning" sx={{ mb: 1 }} icon={false}>
      <Typography variant="body2" component="p" sx={{ fontWeight: 500, mb: 0.75 }}>
        {t('contactInfo.stillMissing', { count: missing.length })}
      </Typography>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }}>
        {missing.map((field) => (
          <Chip
            key={field}
            size="small"
            variant="outlined"
            component="a"
            href={`#${sectionId(field)}`}
            clickable
            label={t(`fields.${field}.label`)}
          />
        ))}
      </Box>
    </Alert>
  );
}
