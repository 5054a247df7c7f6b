import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, Typography } from '@mui/material';
import RocketIcon from '@mui/icons-material/RocketLaunchOutlined';
import { useParams } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { getFragmentData } from '../../gql/fragment-masking';
import { AccessGateFieldsDoc } from '../../components/gate-chip';
import { useMembership } from '../../lib/me-context';
import { formatDateTime } from '../../lib/format';
import { ErrorAlert } from '../../components/error-alert';
import { PageSkeleton } from '../../components/loading';
import { ErrorPage } from '../../components/error-page';
import { PageHeader } from '../../components/page-header';

const LaunchDocument = graphql(`
  query Launch($accountId: ID!) {
    account(id: $accountId) {
      id
      launchRequestedAt
      production: accessGate(environment: PRODUCTION) {
        ...AccessGateFields
      }
    }
  }
`);

const RequestLaunchDocument = graphql(`
  mutation RequestLaunch($accountId: ID!) {
    requestLaunch(accountId: $accountId) {
      id
      launchRequestedAt
    }
  }
`);

/** Asks the platform to launch in production: refused while PRODUCTION is locked. */
export function LaunchPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const { accountId = '' } = useParams();
  const membership = useMembership(accountId);
  const canRequest = membership?.role === 'EDITOR' || membership?.role === 'ADMINISTRATOR';
  const [{ data, fetching, error }, reload] = useQuery({ query: LaunchDocument, variables: { accountId } });
  const [{ fetching: requesting }, requestLaunch] = useMutation(RequestLaunchDocument);
  const [failure, setFailure] = useState<CombinedError>();
  if (fetching && !data) return <PageSkeleton />;
  const account = data?.account;
  if (!account) return <ErrorPage error={error} onRetry={() => reload({ requestPolicy: 'network-only' })} />;
  const production = getFragmentData(AccessGateFieldsDoc, account.production);
  return (
    <>
      <PageHeader overline={t('nav.integration')} title={t('launch.title')} description={t('launch.description')} />
      <Card>
        <CardContent sx={{ display: 'grid', gap: 2, p: { xs: 2, sm: 3 } }}>
          {production.locked && <Alert severity="warning">{t('launch.locked')}</Alert>}
          {account.launchRequestedAt ? (
            <Alert severity="success">{t('launch.requestedAt', { when: formatDateTime(account.launchRequestedAt, lang) })}</Alert>
          ) : (
            <Typography variant="body2">{t('launch.notYet')}</Typography>
          )}
          {failure && <ErrorAlert error={failure} />}
          <Box>
            <Button
              variant="contained"
              startIcon={<RocketIcon />}
              disabled={!canRequest || production.locked || requesting}
              onClick={() => {
                setFailure(undefined);
                void requestLaunch({ accountId }).then((r) => setFailure(r.error));
              }}
            >
              {t('launch.request')}
            </Button>
            {!canRequest && (
              <Typography variant="body2" sx={{ color: 'text.secondary', mt: 1 }}>
                {t('launch.editorsOnly')}
              </Typography>
            )}
          </Box>
        </CardContent>
      </Card>
    </>
  );
}
