import { Tab, Tabs } from '@mui/material';
import { Link, useLocation, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';

/** Integration › API access: tokens, webhooks and the explorer, one link each. */
export function ApiAccessTabs() {
  const { t } = useTranslation();
  const { accountId = '' } = useParams();
  const { pathname } = useLocation();
  const base = `/accounts/${accountId}/api-access`;
  const current = pathname.endsWith('/explorer') ? 'explorer' : pathname.endsWith('/webhooks') ? 'webhooks' : 'tokens';
  return (
    <Tabs value={current} aria-label={t('apiAccess.sections')} sx={{ mb: 3, borderBottom: 1, borderColor: 'divider' }} variant="scrollable">
      <Tab value="tokens" label={t('apiAccess.tabTokens')} component={Link} to={base} />
      <Tab value="webhooks" label={t('apiAccess.tabWebhooks')} component={Link} to={`${base}/webhooks`} />
      <Tab value="explorer" label={t('apiAccess.tabExplorer')} component={Link} to={`${base}/explorer`} />
    </Tabs>
  );
}
