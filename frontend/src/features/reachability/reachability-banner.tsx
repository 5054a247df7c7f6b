import { Alert, AlertTitle, Box, Link } from '@mui/material';
import { Link as RouterLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { sectionId } from '../contact-info/field-meta';
import { useReachability } from './reachability-context';

/** "2 contacts cannot be reached", linking to the fields that hold them on the Contact info page. */
export function ReachabilityBanner() {
  const { t } = useTranslation();
  const ctx = useReachability();
  const summary = ctx?.summary;
  if (!ctx || !summary || summary.unreachable === 0) return null;
  return (
    <Alert severity="error" sx={{ mb: 3 }} data-testid="reachability-banner">
      <AlertTitle>{t('reach.banner', { count: summary.unreachable })}</AlertTitle>
      {t('reach.bannerBody')}{' '}
      <Box component="span" sx={{ display: 'inline-flex', gap: 1.5, flexWrap: 'wrap' }}>
        {summary.unreachableFields.map((f) => (
          <Link key={f} component={RouterLink} to={`/accounts/${ctx.accountId}/contact-info#${sectionId(f)}`}>
            {t(`fields.${f}.label`)}
          </Link>
        ))}
      </Box>
    </Alert>
  );
}
