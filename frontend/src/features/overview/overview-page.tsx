import { Box, Button, Card, CardContent, Chip, Link, Typography } from '@mui/material';
import CheckCircleIcon from '@mui/icons-material/CheckCircleOutlined';
import LockIcon from '@mui/icons-material/LockOutlined';
import { Link as RouterLink, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { getFragmentData } from '../../gql/fragment-masking';
import { AccessGateFieldsDoc } from '../../components/gate-chip';
import type { Environment } from '../../gql/graphql';
import { accountPath, useEnvironment } from '../../lib/environment';
import { formatDateTime } from '../../lib/format';
import { useIntegrationTypeLabel } from '../../lib/portal-config';
import { PageSkeleton } from '../../components/loading';
import { ErrorPage } from '../../components/error-page';
import { PageHeader } from '../../components/page-header';
import { SupportHoursSummary } from '../contact-info/support-hours-summary';
import { formatPhone, telHref } from '../../lib/phone';

export const OverviewDocument = graphql(`
  query Overview($accountId: ID!) {
    account(id: $accountId) {
      id
      name
      integrationTypes
      launchRequestedAt
      sandbox: accessGate(environment: SANDBOX) {
        ...AccessGateFields
      }
      production: accessGate(environment: PRODUCTION) {
        ...AccessGateFields
      }
      contactInfo {
        version
        updatedAt
        updatedBy {
          id
          email
          name
        }
        operationalForUsers {
          name
          email
          phone
        }
        operationalSupport {
          ...SupportHoursFields
        }
      }
    }
  }
`);

/** The account at a glance: integration types, gate state per environment, the public support contact. */
export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const { accountId = '' } = useParams();
  const environment = useEnvironment();
  const typeLabel = useIntegrationTypeLabel();
  const [{ data, fetching, error }, reload] = useQuery({ query: OverviewDocument, variables: { accountId } });
  if (fetching && !data) return <PageSkeleton />;
  const account = data?.account;
  if (!account) return <ErrorPage error={error} onRetry={() => reload({ requestPolicy: 'network-only' })} />;
  const info = account.contactInfo;

  return (
    <>
      <PageHeader title={account.name} description={t('overview.description')} />
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
        {[account.sandbox, account.production].map((ref) => {
          const gate = getFragmentData(AccessGateFieldsDoc, ref);
          return <GateCard key={gate.environment} environment={gate.environment} locked={gate.locked} missing={gate.missing.length} accountId={accountId} />;
        })}
        <Card>
          <CardContent>
            <Typography variant="h2" component="h2" sx={{ mb: 2 }}>
              {t('overview.integrationTypes')}
            </Typography>
            <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
              {account.integrationTypes.map((type) => (
                <Chip key={type} label={typeLabel(type)} variant="outlined" />
              ))}
            </Box>
            {account.launchRequestedAt && (
              <Typography variant="body2" sx={{ mt: 2 }}>
                {t('launch.requestedAt', { when: formatDateTime(account.launchRequestedAt, lang) })}
              </Typography>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardContent>
            <Typography variant="h2" component="h2" sx={{ mb: 2 }}>
              {t('overview.userSupport')}
            </Typography>
            {info.operationalForUsers ? (
              <Typography variant="body2" sx={{ mb: 1.5 }}>
                {info.operationalForUsers.name && `${info.operationalForUsers.name} · `}
                <Link href={`mailto:${info.operationalForUsers.email}`} underline="always">{info.operationalForUsers.email}</Link>
                {info.operationalForUsers.phone && (
                  <>
                    {' · '}
                    <Link href={telHref(info.operationalForUsers.phone)} underline="always">
                      {formatPhone(info.operationalForUsers.phone)}
                    </Link>
                  </>
                )}
              </Typography>
            ) : (
              <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic', mb: 1.5 }}>
                {t('contactInfo.none')}
              </Typography>
            )}
            <SupportHoursSummary hours={info.operationalSupport} />
            <Box sx={{ mt: 2, display: 'flex', gap: 1, flexWrap: 'wrap' }}>
              <Button component={RouterLink} to={accountPath(accountId, 'contact-info', environment)} variant="outlined">
                {t('overview.editContactInfo')}
              </Button>
              <Button component={RouterLink} to={`/support/${encodeURIComponent(accountId)}`} target="_blank">
                {t('overview.publicPage')}
              </Button>
            </Box>
            {info.updatedAt && (
              <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mt: 2 }}>
                {t('overview.lastUpdated', {
                  when: formatDateTime(info.updatedAt, lang),
                  who: info.updatedBy ? info.updatedBy.name || info.updatedBy.email : '—',
                })}
              </Typography>
            )}
          </CardContent>
        </Card>
      </Box>
    </>
  );
}

function GateCard({ environment, locked, missing, accountId }: { environment: Environment; locked: boolean; missing: number; accountId: string }) {
  const { t } = useTranslation();
  return (
    <Card>
      <CardContent sx={{ display: 'flex', gap: 2, alignItems: 'flex-start' }}>
        {locked ? (
          <LockIcon sx={{ color: 'warning.main', fontSize: 32 }} aria-hidden />
        ) : (
          <CheckCircleIcon sx={{ color: 'success.main', fontSize: 32 }} aria-hidden />
        )}
        <Box sx={{ flex: 1 }}>
          <Typography variant="overline" component="p" sx={{ color: 'text.secondary', lineHeight: 1.5 }}>
            {t(`environment.${environment}`)}
          </Typography>
          <Typography variant="h3" component="h2">
            {locked ? t('overview.locked') : t('overview.unlocked')}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5 }}>
            {locked ? t('overview.lockedDetail', { count: missing }) : t('overview.unlockedDetail')}
          </Typography>
          {locked && (
            <Button component={RouterLink} to={accountPath(accountId, 'contact-info', environment)} size="small" sx={{ mt: 1, ml: -1 }}>
              {t('overview.complete')}
            </Button>
          )}
        </Box>
      </CardContent>
    </Card>
  );
}
