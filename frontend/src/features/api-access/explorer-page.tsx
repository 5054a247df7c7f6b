import { lazy, Suspense, useState } from 'react';
import { Alert, Box, TextField } from '@mui/material';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { PageSkeleton } from '../../components/loading';
import { ApiAccessTabs } from './api-access-tabs';

// GraphiQL and its editor are large: a chunk of their own, loaded on this page only.
const GraphiQLExplorer = lazy(() => import('./graphiql-explorer'));

/**
 * Integration › API access › Explorer: GraphiQL, bundled (no CDN), running as the signed-in
 * person by default or with a pasted API token, with the schema from /graphql/schema.graphqls.
 */
export function ExplorerPage() {
  const { t } = useTranslation();
  const { accountId = '' } = useParams();
  const [token, setToken] = useState('');
  const trimmed = token.trim();
  return (
    <>
      <PageHeader overline={t('nav.integration')} title={t('apiAccess.title')} description={t('explorer.description')} />
      <ApiAccessTabs />
      <Box sx={{ display: 'grid', gap: 2, mb: 2 }}>
        <TextField
          label={t('explorer.token')}
          helperText={trimmed ? t('explorer.asToken') : t('explorer.asYou')}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          type="password"
          autoComplete="off"
          size="small"
          sx={{ maxWidth: 520 }}
        />
        <Alert severity="info">{t('explorer.realData')}</Alert>
      </Box>
      <Suspense fallback={<PageSkeleton />}>
        <GraphiQLExplorer accountId={accountId} token={trimmed} />
      </Suspense>
    </>
  );
}
