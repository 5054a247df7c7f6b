import { useState } from 'react';
import { Alert, Button } from '@mui/material';
import SendIcon from '@mui/icons-material/ForwardToInboxOutlined';
import { useMutation, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import type { ContactField } from '../../gql/graphql';
import { ErrorAlert } from '../../components/error-alert';
import { useReachability } from './reachability-context';
import { SendTestMessageDocument } from './reachability-data';

const TESTABLE: ContactField[] = ['ALERT_CONTACTS', 'TECHNICAL_EMERGENCY', 'TECHNICAL_NON_EMERGENCY', 'MERCHANT_ISSUES', 'OPERATIONAL_FOR_GOOGLE', 'OPERATIONAL_FOR_USERS'];

/** "Send a test message" to every saved address of one field, for editors and administrators. */
export function SendTestButton({ field }: { field: ContactField }) {
  const { t } = useTranslation();
  const ctx = useReachability();
  const [{ fetching }, send] = useMutation(SendTestMessageDocument);
  const [sent, setSent] = useState<number | null>(null);
  const [failure, setFailure] = useState<CombinedError>();
  if (!ctx?.canAct || !TESTABLE.includes(field)) return null;
  return (
    <>
      <Button
        size="small"
        startIcon={<SendIcon />}
        disabled={fetching}
        aria-label={t('reach.sendTestFor', { field: t(`fields.${field}.label`) })}
        onClick={async () => {
          setSent(null);
          setFailure(undefined);
          const r = await send({ accountId: ctx.accountId, field });
          if (r.error) setFailure(r.error);
          else setSent(r.data?.sendTestMessage.length ?? 0);
        }}
      >
        {t('reach.sendTest')}
      </Button>
      {sent !== null && (
        <Alert severity="success" role="status" onClose={() => setSent(null)} sx={{ width: '100%', py: 0 }}>
          {t('reach.testSent', { count: sent })}
        </Alert>
      )}
      <ErrorAlert error={failure} onClose={() => setFailure(undefined)} sx={{ width: '100%' }} />
    </>
  );
}
