import { Alert, Box, Link, Typography } from '@mui/material';
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { ErrorAlert } from '../../components/error-alert';
import { Loading } from '../../components/loading';
import { formatPhone, telHref } from '../../lib/phone';
import { AuthLayout } from '../auth/auth-layout';
import { SupportHoursSummary } from '../contact-info/support-hours-summary';
import { useDocumentTitle } from '../../lib/document-title';
import { hasCode } from '../../lib/errors';

const PublicSupportDocument = graphql(`
  query PublicSupport($accountId: ID!) {
    publicSupportContact(accountId: $accountId) {
      accountName
      contact {
        name
        email
        phone
      }
      operationalSupport {
        ...SupportHoursFields
      }
    }
  }
`);

/** What an end user may see without signing in: the shared support contact and its hours. */
export function PublicSupportPage() {
  const { t } = useTranslation();
  const { accountId = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: PublicSupportDocument, variables: { accountId } });
  const support = data?.publicSupportContact;
  useDocumentTitle(support?.accountName ?? t('publicSupport.title'));
  if (fetching && !data) return <Loading minHeight="100vh" />;
  if (!support) {
    // NOT_FOUND: no such account, or one that shares no contact; both are said in the page's language.
    return (
      <AuthLayout title={t('publicSupport.title')}>
        {error && !hasCode(error, 'NOT_FOUND') ? <ErrorAlert error={error} /> : <Alert severity="info">{t('publicSupport.none')}</Alert>}
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={support.accountName} subtitle={t('publicSupport.subtitle')}>
      <Box sx={{ display: 'grid', gap: 2 }}>
        <Box>
          {support.contact.name && <Typography sx={{ fontWeight: 500 }}>{support.contact.name}</Typography>}
          <Typography>
            <Link href={`mailto:${support.contact.email}`}>{support.contact.email}</Link>
          </Typography>
          {support.contact.phone && (
            <Typography>
              <Link href={telHref(support.contact.phone)}>{formatPhone(support.contact.phone)}</Link>
            </Typography>
          )}
        </Box>
        <SupportHoursSummary hours={support.operationalSupport} />
      </Box>
    </AuthLayout>
  );
}
