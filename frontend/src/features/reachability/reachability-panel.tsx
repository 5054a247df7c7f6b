import { useState } from 'react';
import { Box, Button, Card, CardContent, CardHeader, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useMutation, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { ErrorAlert } from '../../components/error-alert';
import { ReachabilityChip } from './reachability-chip';
import { useReachability, type Address } from './reachability-context';
import { ResendVerificationDocument } from './reachability-data';

/** Every address of the account with its state and last test; editors resend verification mails from here. */
export function ReachabilityPanel({ title }: { title?: string }) {
  const { t, i18n } = useTranslation();
  const ctx = useReachability();
  const [{ fetching }, resend] = useMutation(ResendVerificationDocument);
  const [failure, setFailure] = useState<CombinedError>();
  const [resent, setResent] = useState<string | null>(null);
  if (!ctx) return null;
  const lang = i18n.resolvedLanguage ?? 'en';
  const onResend = async (a: Address) => {
    setFailure(undefined);
    setResent(null);
    const r = await resend({ accountId: ctx.accountId, email: a.email });
    if (r.error) setFailure(r.error);
    else setResent(a.email);
  };
  return (
    <Card sx={{ mb: 3 }}>
      <CardHeader
        title={title ?? t('reach.title')}
        subheader={t('reach.subtitle')}
        slotProps={{ title: { variant: 'h2', component: 'h2' } }}
      />
      <CardContent sx={{ pt: 0 }}>
        <ErrorAlert error={failure} onClose={() => setFailure(undefined)} sx={{ mb: 2 }} />
        {resent && (
          <Typography role="status" sx={{ mb: 2, color: 'success.main' }}>
            {t('reach.resent', { email: resent })}
          </Typography>
        )}
        {ctx.addresses.length === 0 ? (
          <Typography sx={{ color: 'text.secondary' }}>{t('reach.none')}</Typography>
        ) : (
          <Box sx={{ overflowX: 'auto' }}>
            <Table size="small" aria-label={t('reach.title')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('reach.colEmail')}</TableCell>
                  <TableCell>{t('reach.colState')}</TableCell>
                  <TableCell>{t('reach.colLastTest')}</TableCell>
                  {ctx.canAct && <TableCell>{t('reach.colAction')}</TableCell>}
                </TableRow>
              </TableHead>
              <TableBody>
                {ctx.addresses.map((a) => (
                  <TableRow key={a.email} data-address={a.email}>
                    <TableCell sx={{ wordBreak: 'break-all' }}>{a.email}</TableCell>
                    <TableCell>
                      <ReachabilityChip address={a} />
                    </TableCell>
                    <TableCell>
                      {a.lastTest
                        ? `${t(`reach.testStatus.${a.lastTest.status}`)} · ${t(`fields.${a.lastTest.field}.label`)} · ${formatDateTime(a.lastTest.at, lang)}`
                        : '—'}
                    </TableCell>
                    {ctx.canAct && (
                      <TableCell>
                        {a.state !== 'VERIFIED' && (
                          <Button size="small" disabled={fetching} onClick={() => onResend(a)} aria-label={t('reach.resendTo', { email: a.email })}>
                            {t('reach.resend')}
                          </Button>
                        )}
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
