import { useState } from 'react';
import { Alert, Box, Button, Skeleton, Typography } from '@mui/material';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../auth/auth-layout';
import { useDocumentTitle } from '../../lib/document-title';
import { errorCode } from '../../lib/errors';
import { ErrorAlert } from '../../components/error-alert';
import { ConfirmContactAddressDocument, ContactLinkDocument, DisputeContactAddressDocument } from './reachability-data';

/**
 * The page a verification or test mail links to. Opening it changes nothing (mail scanners open
 * links): the owner presses a button, which sends the mutation. Every bad link gets one page.
 */
export function VerifyContactPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [{ data, fetching, error }] = useQuery({ query: ContactLinkDocument, variables: { token }, pause: !token });
  const [confirmState, confirm] = useMutation(ConfirmContactAddressDocument);
  const [disputeState, dispute] = useMutation(DisputeContactAddressDocument);
  const [done, setDone] = useState<{ outcome: 'confirmed' | 'disputed'; email: string } | null>(null);
  useDocumentTitle(t('verify.title'));

  const link = data?.contactLink;
  const failure = confirmState.error ?? disputeState.error;
  const invalid = !token || (!fetching && !link && errorCode(error) === 'NOT_FOUND') || errorCode(failure) === 'NOT_FOUND';

  // Once used, the link is no longer valid (a refetch of the preview says so): the outcome comes first.
  if (done) {
    return (
      <AuthLayout title={t(`verify.${done.outcome}Title`)}>
        <Alert severity={done.outcome === 'confirmed' ? 'success' : 'info'} role="status">
          {t(`verify.${done.outcome}`, { email: done.email })}
        </Alert>
      </AuthLayout>
    );
  }
  if (invalid) {
    return (
      <AuthLayout title={t('verify.invalidTitle')}>
        <Typography>{t('verify.invalid')}</Typography>
      </AuthLayout>
    );
  }
  if (!link) {
    return (
      <AuthLayout title={t('verify.title')}>
        {error ? <ErrorAlert error={error} /> : <Skeleton variant="rounded" height={120} aria-label={t('common.loading')} />}
      </AuthLayout>
    );
  }
  const fields = link.fields.map((f) => t(`fields.${f}.label`)).join(', ');
  const busy = confirmState.fetching || disputeState.fetching;
  return (
    <AuthLayout
      title={link.purpose === 'TEST' ? t('verify.testTitle') : t('verify.title')}
      subtitle={t(link.purpose === 'TEST' ? 'verify.testSubtitle' : 'verify.subtitle', { email: link.email, account: link.accountName, fields })}
    >
      <ErrorAlert error={failure} sx={{ mb: 2 }} />
      <Box sx={{ display: 'grid', gap: 1.5 }}>
        <Button
          variant="contained"
          size="large"
          disabled={busy}
          onClick={async () => {
            const r = await confirm({ token });
            if (r.data) setDone({ outcome: 'confirmed', email: link.email });
          }}
        >
          {link.purpose === 'TEST' ? t('verify.received') : t('verify.confirm')}
        </Button>
        {link.purpose === 'VERIFY' && (
          <Button
            variant="outlined"
            color="error"
            size="large"
            disabled={busy}
            onClick={async () => {
              const r = await dispute({ token });
              if (r.data) setDone({ outcome: 'disputed', email: link.email });
            }}
          >
            {t('verify.notMe')}
          </Button>
        )}
      </Box>
    </AuthLayout>
  );
}
