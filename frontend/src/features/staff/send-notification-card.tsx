import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, Chip, MenuItem, Typography } from '@mui/material';
import SendIcon from '@mui/icons-material/SendOutlined';
import { useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import type { NotificationKind } from '../../gql/graphql';
import { ErrorAlert } from '../../components/error-alert';
import { FormTextField } from '../../components/form-text-field';

const RecipientsDocument = graphql(`
  query Recipients($accountId: ID!, $kind: NotificationKind!) {
    recipients(accountId: $accountId, kind: $kind) {
      name
      email
      phone
      reachability {
        state
        detail
      }
    }
  }
`);

const SendNotificationDocument = graphql(`
  mutation SendNotification($input: SendNotificationInput!) {
    sendNotification(input: $input) {
      id
      kind
      subject
      createdAt
      recipients {
        name
        email
      }
      deliveries {
        email
        status
        attempts
        lastError
        sentAt
      }
    }
  }
`);

export const KINDS: NotificationKind[] = [
  'PRODUCTION_ALERT',
  'TECHNICAL_EMERGENCY',
  'TECHNICAL_NON_EMERGENCY',
  'MERCHANT_ISSUE',
  'OPERATIONAL_ESCALATION',
];

const schema = z.object({
  kind: z.enum(['PRODUCTION_ALERT', 'TECHNICAL_EMERGENCY', 'TECHNICAL_NON_EMERGENCY', 'MERCHANT_ISSUE', 'OPERATIONAL_ESCALATION']),
  subject: z.string().trim().min(1, 'validation.subjectRequired').max(200, 'validation.subjectTooLong'),
  body: z.string().trim().min(1, 'validation.bodyRequired'),
});
type Values = z.infer<typeof schema>;

/** Staff send a message to the contacts a kind routes to, after previewing them. */
export function SendNotificationCard({ accountId, onSent }: { accountId: string; onSent: () => void }) {
  const { t } = useTranslation();
  const { control, handleSubmit, reset } = useForm<Values>({
    defaultValues: { kind: 'TECHNICAL_EMERGENCY', subject: '', body: '' },
    resolver: zodResolver(schema),
  });
  const kind = useWatch({ control, name: 'kind' });
  const [{ data, fetching, error }] = useQuery({ query: RecipientsDocument, variables: { accountId, kind } });
  const [{ fetching: sending }, send] = useMutation(SendNotificationDocument);
  const [failure, setFailure] = useState<CombinedError>();
  const [sent, setSent] = useState<number | null>(null);
  const recipients = data?.recipients ?? [];

  const onSubmit = handleSubmit(async (values) => {
    setFailure(undefined);
    setSent(null);
    const result = await send({ input: { accountId, ...values } });
    if (result.error || !result.data) {
      setFailure(result.error);
      return;
    }
    setSent(result.data.sendNotification.recipients.length);
    reset({ kind: values.kind, subject: '', body: '' });
    onSent();
  });

  return (
    <Card>
      <CardContent sx={{ p: { xs: 2, sm: 3 } }}>
        <Typography variant="h2" component="h2" sx={{ mb: 2 }}>
          {t('notify.title')}
        </Typography>
        <Box component="form" noValidate onSubmit={(e) => void onSubmit(e)} sx={{ display: 'grid', gap: 2 }}>
          <FormTextField control={control} name="kind" select label={t('notify.kind')} hint={t(`notify.kinds.${kind}.help`)}>
            {KINDS.map((k) => (
              <MenuItem key={k} value={k}>
                {t(`notify.kinds.${k}.label`)}
              </MenuItem>
            ))}
          </FormTextField>
          <Box aria-live="polite">
            <Typography variant="subtitle2" component="p" sx={{ mb: 1 }}>
              {t('notify.recipients', { count: recipients.length })}
            </Typography>
            {error ? (
              <ErrorAlert error={error} />
            ) : fetching && !data ? null : recipients.length === 0 ? (
              <Alert severity="warning">{t('notify.noRecipients')}</Alert>
            ) : (
              <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
                {recipients.some((r) => r.reachability?.state === 'BOUNCED' || r.reachability?.state === 'DISPUTED') && (
                  <Alert severity="warning" sx={{ width: '100%' }}>
                    {t('reach.notifyUnreachable', {
                      count: recipients.filter((r) => r.reachability?.state === 'BOUNCED' || r.reachability?.state === 'DISPUTED').length,
                    })}
                  </Alert>
                )}
                {recipients.map((r) => (
                  <Chip
                    key={r.email}
                    variant="outlined"
                    color={r.reachability && (r.reachability.state === 'BOUNCED' || r.reachability.state === 'DISPUTED') ? 'error' : 'default'}
                    label={`${r.name ? `${r.name} <${r.email}>` : r.email}${r.reachability && r.reachability.state !== 'VERIFIED' ? ` · ${t(`reach.state.${r.reachability.state}`)}` : ''}`}
                  />
                ))}
              </Box>
            )}
          </Box>
          <FormTextField control={control} name="subject" label={t('notify.subject')} required />
          <FormTextField control={control} name="body" label={t('notify.body')} required multiline minRows={4} />
          <Box role="status" aria-live="polite">
            {sent !== null && <Alert severity="success">{t('notify.sent', { count: sent })}</Alert>}
          </Box>
          {failure && <ErrorAlert error={failure} />}
          <Box>
            <Button type="submit" variant="contained" startIcon={<SendIcon />} disabled={sending || recipients.length === 0}>
              {t('notify.send')}
            </Button>
          </Box>
        </Box>
      </CardContent>
    </Card>
  );
}
