import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  FormControlLabel,
  IconButton,
  InputAdornment,
  MenuItem,
  Switch,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useParams } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useForm, Controller } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { hasCode } from '../../lib/errors';
import { useMembership } from '../../lib/me-context';
import { AppDialog } from '../../components/app-dialog';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorAlert } from '../../components/error-alert';
import { FormTextField } from '../../components/form-text-field';
import { PageSkeleton } from '../../components/loading';
import { ErrorPage } from '../../components/error-page';
import { PageHeader } from '../../components/page-header';
import { getFragmentData } from '../../gql/fragment-masking';
import { ApiTokenFieldsDoc, ApiTokenRow } from './api-token-row';
import { ApiAccessTabs } from './api-access-tabs';

const ApiTokensDocument = graphql(`
  query ApiTokens($accountId: ID!) {
    account(id: $accountId) {
      id
      apiTokens {
        ...ApiTokenFields
      }
    }
  }
`);

const CreateApiTokenDocument = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      token
      apiToken {
        ...ApiTokenFields
      }
    }
  }
`);

const RevokeApiTokenDocument = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id)
  }
`);

const schema = z.object({
  name: z.string().trim().min(1, 'validation.nameRequired').max(64, 'validation.nameTooLong'),
  readOnly: z.boolean(),
  // Days until the token expires; 0: never.
  expiresInDays: z.number(),
});

const EXPIRY_CHOICES = [0, 30, 90, 365] as const;

/** The expiry date `days` from now, or null for a token that does not expire. */
function expiryIn(days: number): string | null {
  return days ? new Date(Date.now() + days * 86_400_000).toISOString() : null;
}
type Values = z.infer<typeof schema>;

/** API access: tokens for partner tooling (ADMINISTRATOR); the secret is shown once. */
export function ApiAccessPage() {
  const { t } = useTranslation();
  const { accountId = '' } = useParams();
  const membership = useMembership(accountId);
  const isAdmin = membership?.role === 'ADMINISTRATOR';
  const [{ data, fetching, error }, refetch] = useQuery({ query: ApiTokensDocument, variables: { accountId }, pause: !isAdmin });
  const [{ fetching: creating }, createToken] = useMutation(CreateApiTokenDocument);
  const [{ fetching: revoking }, revokeToken] = useMutation(RevokeApiTokenDocument);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoke, setRevoke] = useState<{ id: string; name: string } | null>(null);
  const [failure, setFailure] = useState<CombinedError>();
  // "Expired" is judged against when the page was opened (a render reads no clock).
  const [openedAt] = useState(() => Date.now());
  const { control, handleSubmit, reset } = useForm<Values>({ defaultValues: { name: '', readOnly: true, expiresInDays: 90 }, resolver: zodResolver(schema) });

  const header = (
    <>
      <PageHeader overline={t('nav.integration')} title={t('apiAccess.title')} description={t('apiAccess.description')} />
      <ApiAccessTabs />
    </>
  );

  if (!isAdmin) {
    return (
      <>
        {header}
        <Alert severity="info">{t('apiAccess.adminsOnly')}</Alert>
      </>
    );
  }
  if (fetching && !data) return <PageSkeleton />;
  if (error && hasCode(error, 'CONTACT_INFO_REQUIRED')) {
    return (
      <>
        {header}
        <Alert severity="warning">{t('apiAccess.locked')}</Alert>
      </>
    );
  }
  const tokens = data?.account?.apiTokens;
  if (!tokens) return <ErrorPage error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;

  const onCreate = handleSubmit(async (values) => {
    setFailure(undefined);
    const result = await createToken({
      input: { accountId, name: values.name, readOnly: values.readOnly, expiresAt: expiryIn(values.expiresInDays) },
    });
    if (result.error || !result.data) {
      setFailure(result.error);
      return;
    }
    setSecret({ name: values.name, token: result.data.createApiToken.token });
    setCopied(false);
    reset({ name: '', readOnly: true, expiresInDays: 90 });
    refetch({ requestPolicy: 'network-only' });
  });

  return (
    <>
      {header}
      <Card sx={{ mb: 3 }}>
        <CardContent sx={{ p: { xs: 2, sm: 3 } }}>
          <Typography variant="h2" component="h2" sx={{ mb: 2 }}>
            {t('apiAccess.createTitle')}
          </Typography>
          <Box
            component="form"
            noValidate
            onSubmit={(e) => void onCreate(e)}
            sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr auto auto auto' }, alignItems: 'start' }}
          >
            <FormTextField control={control} name="name" label={t('apiAccess.name')} required hint={t('apiAccess.nameHint')} />
            <Controller
              control={control}
              name="readOnly"
              render={({ field }) => (
                <FormControlLabel
                  control={<Switch checked={field.value} onChange={(e) => field.onChange(e.target.checked)} />}
                  label={t('apiAccess.readOnly')}
                  sx={{ mt: 0.5 }}
                />
              )}
            />
            <Controller
              control={control}
              name="expiresInDays"
              render={({ field }) => (
                <TextField
                  select
                  label={t('apiAccess.expiry')}
                  value={field.value}
                  onChange={(e) => field.onChange(Number(e.target.value))}
                  sx={{ minWidth: 160 }}
                  size="small"
                >
                  {EXPIRY_CHOICES.map((d) => (
                    <MenuItem key={d} value={d}>
                      {d ? t('apiAccess.expiryDays', { count: d }) : t('apiAccess.expiryNever')}
                    </MenuItem>
                  ))}
                </TextField>
              )}
            />
            <Button type="submit" variant="contained" startIcon={<AddIcon />} disabled={creating} sx={{ height: 40 }}>
              {t('apiAccess.create')}
            </Button>
          </Box>
          {failure && <ErrorAlert error={failure} sx={{ mt: 2 }} />}
        </CardContent>
      </Card>

      <Card>
        <CardContent sx={{ p: { xs: 2, sm: 3 } }}>
          <Typography variant="h2" component="h2" sx={{ mb: 1 }}>
            {t('apiAccess.listTitle', { count: tokens.length })}
          </Typography>
          {tokens.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
              {t('apiAccess.empty')}
            </Typography>
          ) : (
            <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
              {tokens.map((ref, i) => (
                <ApiTokenRow key={getFragmentData(ApiTokenFieldsDoc, ref).id} token={ref} divider={i > 0} onRevoke={setRevoke} openedAt={openedAt} />
              ))}
            </Box>
          )}
        </CardContent>
      </Card>

      <AppDialog
        open={secret !== null}
        title={t('apiAccess.secretTitle', { name: secret?.name ?? '' })}
        onClose={() => setSecret(null)}
        actions={
          <Button variant="contained" onClick={() => setSecret(null)}>
            {t('apiAccess.secretDone')}
          </Button>
        }
      >
        <Alert severity="warning" sx={{ mb: 2 }}>
          {t('apiAccess.secretOnce')}
        </Alert>
        <TextField
          value={secret?.token ?? ''}
          label={t('apiAccess.secret')}
          slotProps={{
            htmlInput: { readOnly: true, style: { fontFamily: 'monospace' } },
            input: {
              endAdornment: (
                <InputAdornment position="end">
                  <Tooltip title={copied ? t('apiAccess.copied') : t('apiAccess.copy')}>
                    <IconButton
                      aria-label={t('apiAccess.copy')}
                      onClick={() => {
                        if (secret) void navigator.clipboard?.writeText(secret.token).then(() => setCopied(true));
                      }}
                      edge="end"
                    >
                      <ContentCopyIcon />
                    </IconButton>
                  </Tooltip>
                </InputAdornment>
              ),
            },
          }}
        />
        <Box role="status" aria-live="polite" sx={{ mt: 1, minHeight: 20 }}>
          {copied && (
            <Typography variant="body2" sx={{ color: 'success.main' }}>
              {t('apiAccess.copied')}
            </Typography>
          )}
        </Box>
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 1 }}>
          {t('apiAccess.usage')} <code>Authorization: Bearer …</code>
        </Typography>
      </AppDialog>

      <ConfirmDialog
        open={revoke !== null}
        title={t('apiAccess.revokeTitle')}
        message={t('apiAccess.revokeConfirm', { name: revoke?.name ?? '' })}
        confirmLabel={t('apiAccess.revoke')}
        destructive
        busy={revoking}
        onCancel={() => setRevoke(null)}
        onConfirm={() => {
          if (!revoke) return;
          void revokeToken({ id: revoke.id }).then((r) => {
            setFailure(r.error);
            setRevoke(null);
            refetch({ requestPolicy: 'network-only' });
          });
        }}
      />
    </>
  );
}
