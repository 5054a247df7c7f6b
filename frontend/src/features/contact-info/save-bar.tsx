import { useMemo, type Ref } from 'react';
import { Alert, AlertTitle, Box, Button, CircularProgress, Typography } from '@mui/material';
import { useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { fieldProblemKey, showsServerText, type FieldProblem } from '../../lib/errors';
import { ErrorAlert } from '../../components/error-alert';
import { useReportUnsaved } from '../../components/unsaved-changes';
import { changedKeys, type ContactFormValues } from './form-model';
import type { SaveStatus } from './use-save-contact-info';

/** What the last save attempt left to say: invalid input, problems no input shows, a failure. */
export function SaveStatusRegion({ status, ref }: { status: SaveStatus; ref: Ref<HTMLDivElement> }) {
  const { t, i18n } = useTranslation();
  const problemText = (p: FieldProblem) => {
    const key = fieldProblemKey(p);
    if (key) return t(key as never) as string;
    return showsServerText(i18n.resolvedLanguage) ? p.message : t('serverErrors.INVALID');
  };
  return (
    <Box ref={ref} tabIndex={-1} role="status" aria-live="polite" sx={{ '&:focus': { outline: 'none' } }}>
      {status.kind === 'invalid' && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {t('contactInfo.invalid', { count: status.count })}
        </Alert>
      )}
      {status.kind === 'rejected' && (
        <Alert severity="error" sx={{ mt: 1 }}>
          <AlertTitle>{t('contactInfo.rejected')}</AlertTitle>
          {status.unknown.length > 0 && (
            <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
              {status.unknown.map((p) => (
                <li key={`${p.field}:${p.message}`}>
                  {p.field}: {problemText(p)}
                </li>
              ))}
            </Box>
          )}
        </Alert>
      )}
      {status.kind === 'failed' && <ErrorAlert error={status.error} sx={{ mt: 1 }} />}
    </Box>
  );
}

type SaveBarProps = {
  base: ContactFormValues;
  saving: boolean;
  status: SaveStatus;
  /** When the contact info was last saved, and by whom. */
  lastSaved: string;
  variant: 'modal' | 'page';
  onDiscard: () => void;
};

/** The sticky bar with the save status and buttons; the only part that re-renders on every keystroke. */
export function SaveBar({ base, saving, status, lastSaved, variant, onDiscard }: SaveBarProps) {
  const { t } = useTranslation();
  const values = useWatch<ContactFormValues>() as ContactFormValues;
  const dirty = useMemo(() => changedKeys(values, base).length > 0, [values, base]);
  useReportUnsaved(dirty && !saving);
  const idleText =
    status.kind === 'saved'
      ? status.missing.length > 0
        ? t('contactInfo.savedPartial', { count: status.missing.length })
        : t('contactInfo.savedComplete')
      : status.kind === 'noChanges'
        ? t('contactInfo.noChanges')
        : lastSaved;
  return (
    <Box
      sx={{
        position: 'sticky',
        bottom: variant === 'modal' ? -20 : 0,
        zIndex: 2,
        mt: 2,
        mx: { xs: -2, sm: -3 },
        px: { xs: 2, sm: 3 },
        py: 1.5,
        bgcolor: 'background.paper',
        borderTop: 1,
        borderColor: 'divider',
        display: 'flex',
        alignItems: 'center',
        gap: 1,
        flexWrap: 'wrap',
      }}
    >
      <Typography variant="body2" sx={{ flex: '1 1 200px', color: 'text.secondary' }} aria-live="polite">
        {saving ? t('contactInfo.saving') : dirty ? t('contactInfo.unsaved') : idleText}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, ml: 'auto' }}>
        {dirty && (
          <Button onClick={onDiscard} disabled={saving}>
            {t('contactInfo.discard')}
          </Button>
        )}
        <Button
          type="submit"
          variant="contained"
          disabled={saving}
          startIcon={saving ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {t('contactInfo.save')}
        </Button>
      </Box>
    </Box>
  );
}
