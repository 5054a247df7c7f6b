import { Box, Button, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { AppDialog } from '../../components/app-dialog';
import type { ContactField, ContactInfoFieldsFragment } from '../../gql/graphql';
import { formatDateTime } from '../../lib/format';
import { FIELD_ORDER, FORM_KEY } from './field-meta';
import { describeValue } from './describe-values';
import type { ContactFormValues } from './form-model';
import type { MemberOption } from './alert-contacts-field';

type Props = {
  open: boolean;
  latest: ContactInfoFieldsFragment;
  theirs: ContactFormValues;
  mine: ContactFormValues;
  myChanges: (keyof ContactFormValues)[];
  members: MemberOption[];
  busy: boolean;
  onKeepTheirs: () => void;
  onReapply: () => void;
};

/** CONFLICT: someone else saved first. Shows their version next to the user's changes. */
export function ConflictDialog({ open, latest, theirs, mine, myChanges, members, busy, onKeepTheirs, onReapply }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const who = latest.updatedBy ? latest.updatedBy.name || latest.updatedBy.email : t('contactInfo.someoneElse');
  const fields = FIELD_ORDER.filter((f: ContactField) => myChanges.includes(FORM_KEY[f]));
  return (
    <AppDialog
      open={open}
      title={t('conflict.title')}
      subtitle={t('conflict.subtitle', { who, when: formatDateTime(latest.updatedAt, lang), version: latest.version })}
      maxWidth="md"
      fullScreenOnPhone
      actions={
        <>
          <Button onClick={onKeepTheirs} disabled={busy}>
            {t('conflict.keepTheirs')}
          </Button>
          <Button variant="contained" onClick={onReapply} disabled={busy}>
            {t('conflict.reapply')}
          </Button>
        </>
      }
    >
      <Typography variant="body2" sx={{ mb: 2 }}>
        {t('conflict.explanation')}
      </Typography>
      <Box component="dl" sx={{ m: 0, display: 'grid', gap: 2 }}>
        {fields.map((field) => {
          const key = FORM_KEY[field];
          return (
            <Box key={field} sx={{ border: 1, borderColor: 'divider', borderRadius: 2, p: 2 }}>
              <Typography component="dt" variant="subtitle2" sx={{ mb: 1 }}>
                {t(`fields.${field}.label`)}
              </Typography>
              <Box component="dd" sx={{ m: 0, display: 'grid', gap: 1, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
                <Box>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    {t('conflict.theirs')}
                  </Typography>
                  <Typography variant="body2">{describeValue(key, theirs, members, t, lang)}</Typography>
                </Box>
                <Box>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    {t('conflict.yours')}
                  </Typography>
                  <Typography variant="body2">{describeValue(key, mine, members, t, lang)}</Typography>
                </Box>
              </Box>
            </Box>
          );
        })}
      </Box>
    </AppDialog>
  );
}
