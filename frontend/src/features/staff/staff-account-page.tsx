import { Alert, Box, Breadcrumbs, Card, CardContent, Chip, Link, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import { Link as RouterLink, useParams, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { getFragmentData } from '../../gql/fragment-masking';
import { formatDateTime } from '../../lib/format';
import { useIntegrationTypeLabel } from '../../lib/portal-config';
import { ErrorAlert } from '../../components/error-alert';
import { PageSkeleton } from '../../components/loading';
import { PageHeader } from '../../components/page-header';
import { ContactInfoSummary } from '../contact-info/contact-info-summary';
import { UsersPanel } from '../users/users-panel';
import { AccessGateFieldsDoc, GateChip } from '../../components/gate-chip';
import { ContactInfoFieldsDoc } from '../contact-info/contact-info-fields';
import { SendNotificationCard } from './send-notification-card';
import { useDocumentTitle } from '../../lib/document-title';
import { ReachabilityPanel } from '../reachability/reachability-panel';
import { ReachabilityProvider } from '../reachability/reachability-context';

export const StaffAccountDocument = graphql(`
  query StaffAccount($accountId: ID!) {
    account(id: $accountId) {
      id
      name
      integrationTypes
      createdAt
      launchRequestedAt
      sandbox: accessGate(environment: SANDBOX) {
        ...AccessGateFields
      }
      production: accessGate(environment: PRODUCTION) {
        ...AccessGateFields
      }
      contactInfo {
        ...ContactInfoFields
      }
    }
  }
`);

const NotificationsDocument = graphql(`
  query StaffNotifications($accountId: ID!) {
    account(id: $accountId) {
      id
      notifications {
        id
        kind
        subject
        createdAt
        deliveries {
          email
          status
          attempts
          lastError
          sentAt
        }
      }
    }
  }
`);

/** One account for staff: gates, every contact, support hours with "open now", members, notifications. */
export function StaffAccountPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const { accountId = '' } = useParams();
  const [params] = useSearchParams();
  const typeLabel = useIntegrationTypeLabel();
  const [{ data, fetching, error }] = useQuery({ query: StaffAccountDocument, variables: { accountId } });
  const [notifications, refetchNotifications] = useQuery({ query: NotificationsDocument, variables: { accountId } });
  useDocumentTitle(data?.account?.name, t('nav.staff'));
  if (fetching && !data) return <PageSkeleton />;
  const account = data?.account;
  if (!account) return <ErrorAlert error={error} />;
  const info = getFragmentData(ContactInfoFieldsDoc, account.contactInfo);

  return (
    <>
      <Breadcrumbs aria-label={t('staff.breadcrumbs')} sx={{ mb: 1 }}>
        <Link component={RouterLink} to="/staff">
          {t('staff.title')}
        </Link>
        <Typography sx={{ color: 'text.primary' }}>{account.name}</Typography>
      </Breadcrumbs>
      <PageHeader
        title={account.name}
        description={
          <Box component="span" sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
            <span>{t('staff.accountId', { id: account.id })}</span>
            {account.integrationTypes.map((it) => (
              <Chip key={it} size="small" variant="outlined" label={typeLabel(it)} />
            ))}
          </Box>
        }
      />
      {params.get('created') && <Alert severity="success" sx={{ mb: 3 }}>{t('staff.created')}</Alert>}

      <ReachabilityProvider accountId={accountId} canAct={false}>
      <Box sx={{ display: 'grid', gap: 3 }}>
        <Card>
          <CardContent sx={{ display: 'flex', gap: { xs: 2, sm: 4 }, flexWrap: 'wrap' }}>
            <Box>
              <Typography variant="overline" component="p" sx={{ color: 'text.secondary' }}>
                {t('environment.SANDBOX')}
              </Typography>
              <GateChip gate={account.sandbox} />
            </Box>
            <Box>
              <Typography variant="overline" component="p" sx={{ color: 'text.secondary' }}>
                {t('environment.PRODUCTION')}
              </Typography>
              <GateChip gate={account.production} />
            </Box>
            <Box>
              <Typography variant="overline" component="p" sx={{ color: 'text.secondary' }}>
                {t('staff.lastUpdate')}
              </Typography>
              <Typography variant="body2">
                {info.updatedAt
                  ? t('staff.updatedBy', {
                      when: formatDateTime(info.updatedAt, lang),
                      who: info.updatedBy ? info.updatedBy.name || info.updatedBy.email : '—',
                    })
                  : t('staff.neverUpdated')}
              </Typography>
            </Box>
            <Box>
              <Typography variant="overline" component="p" sx={{ color: 'text.secondary' }}>
                {t('launch.title')}
              </Typography>
              <Typography variant="body2">
                {account.launchRequestedAt ? formatDateTime(account.launchRequestedAt, lang) : t('launch.notRequested')}
              </Typography>
            </Box>
          </CardContent>
        </Card>

        <Box component="section" aria-labelledby="staff-contacts">
          <Typography id="staff-contacts" variant="h2" component="h2" sx={{ mb: 2 }}>
            {t('contactInfo.title')}
          </Typography>
          <ContactInfoSummary info={info} missing={getFragmentData(AccessGateFieldsDoc, account.production).missing} />
        </Box>

        <ReachabilityPanel />

        <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, alignItems: 'start' }}>
          <SendNotificationCard accountId={accountId} onSent={() => refetchNotifications({ requestPolicy: 'network-only' })} />
          <Card>
            <CardContent sx={{ p: { xs: 2, sm: 3 } }}>
              <Typography variant="h2" component="h2" sx={{ mb: 2 }}>
                {t('users.title')}
              </Typography>
              <UsersPanel accountId={accountId} compact />
            </CardContent>
          </Card>
        </Box>

        <Card>
          <CardContent sx={{ p: { xs: 2, sm: 3 } }}>
            <Typography variant="h2" component="h2" sx={{ mb: 2 }}>
              {t('notify.history')}
            </Typography>
            {notifications.error && <ErrorAlert error={notifications.error} />}
            {notifications.data?.account?.notifications.length === 0 && (
              <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
                {t('notify.none')}
              </Typography>
            )}
            {(notifications.data?.account?.notifications.length ?? 0) > 0 && (
              <TableContainer>
                <Table size="small" aria-label={t('notify.history')}>
                  <TableHead>
                    <TableRow>
                      <TableCell>{t('notify.when')}</TableCell>
                      <TableCell>{t('notify.kind')}</TableCell>
                      <TableCell>{t('notify.subject')}</TableCell>
                      <TableCell>{t('notify.deliveries')}</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {notifications.data?.account?.notifications.map((n) => (
                      <TableRow key={n.id}>
                        <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(n.createdAt, lang)}</TableCell>
                        <TableCell>{t(`notify.kinds.${n.kind}.label`)}</TableCell>
                        <TableCell>{n.subject}</TableCell>
                        <TableCell>
                          <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
                            {n.deliveries.map((d) => (
                              <Chip
                                key={d.email}
                                size="small"
                                variant="outlined"
                                color={d.status === 'SENT' ? 'success' : d.status === 'FAILED' ? 'error' : 'default'}
                                label={`${d.email}: ${t(`notify.status.${d.status}`)}`}
                                title={d.lastError ?? undefined}
                              />
                            ))}
                          </Box>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </TableContainer>
            )}
          </CardContent>
        </Card>
      </Box>
      </ReachabilityProvider>
    </>
  );
}
