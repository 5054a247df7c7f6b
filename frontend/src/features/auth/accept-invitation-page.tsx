import { useState } from 'react';
import { Alert, Box, Button, Link, TextField, Typography } from '@mui/material';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { errorCode, fieldProblemError, fieldProblems } from '../../app/errors';
import { accountPath } from '../../app/environment';
import { formatDate } from '../../app/format';
import { recordLanguage } from '../../app/record-language';
import { useSession } from '../../app/session-context';
import { useErrorText } from '../../app/use-error-text';
import { ErrorAlert } from '../../components/error-alert';
import { Loading } from '../../components/loading';
import { AuthLayout } from './auth-layout';

export const InvitationPreviewDocument = graphql(`
  query InvitationPreview($token: String!) {
    invitation(token: $token) {
      email
      accountId
      accountName
      role
      expiresAt
    }
  }
`);

export const AcceptInvitationDocument = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      staff
      user {
        id
        email
        name
      }
      memberships {
        role
        account {
          id
          name
        }
      }
    }
  }
`);

export const MIN_PASSWORD = 10;

const schema = z
  .object({
    name: z.string().trim().min(1, 'validation.nameRequired').max(64, 'validation.nameTooLong'),
    password: z.string().min(MIN_PASSWORD, 'validation.passwordTooShort'),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'validation.passwordsDiffer' });
type Values = z.infer<typeof schema>;

/** /invitations/accept?token=…: name and password, then straight into the portal. */
export function AcceptInvitationPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const errorText = useErrorText();
  const navigate = useNavigate();
  const { resetClient } = useSession();
  const client = useClient();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [{ data, fetching, error }] = useQuery({
    query: InvitationPreviewDocument,
    variables: { token },
    pause: !token,
    requestPolicy: 'network-only',
  });
  const [{ fetching: accepting }, accept] = useMutation(AcceptInvitationDocument);
  const [failure, setFailure] = useState<CombinedError>();
  const { control, handleSubmit, setError } = useForm<Values>({
    defaultValues: { name: '', password: '', confirm: '' },
    resolver: zodResolver(schema),
  });

  if (token && fetching && !data) return <Loading minHeight="100vh" />;
  const invitation = data?.invitation;
  if (!token || (!fetching && !invitation)) {
    return (
      <AuthLayout title={t('accept.invalidTitle')}>
        {error ? <ErrorAlert error={error} /> : <Alert severity="warning">{t('accept.invalid')}</Alert>}
        <Typography sx={{ mt: 3, textAlign: 'center' }}>
          <Link component={RouterLink} to="/sign-in">
            {t('accept.goSignIn')}
          </Link>
        </Typography>
      </AuthLayout>
    );
  }
  if (!invitation) return <Loading minHeight="100vh" />;

  const onSubmit = handleSubmit(async (values) => {
    setFailure(undefined);
    const result = await accept({ input: { token, name: values.name.trim(), password: values.password } });
    if (result.error || !result.data) {
      const problems = fieldProblems(result.error);
      if (errorCode(result.error) === 'VALIDATION_FAILED' && problems.length) {
        for (const p of problems) {
          const field = p.field.replace(/^input\./, '');
          setError(field === 'name' ? 'name' : 'password', fieldProblemError(p), { shouldFocus: true });
        }
      } else setFailure(result.error);
      return;
    }
    const me = result.data.acceptInvitation;
    const membership = me.memberships.find((m) => m.account.id === invitation.accountId) ?? me.memberships[0];
    // The mails this person receives follow the language they accepted in.
    recordLanguage(client, lang);
    resetClient();
    navigate(membership ? accountPath(membership.account.id, 'overview', 'SANDBOX') : '/', { replace: true });
  });

  return (
    <AuthLayout
      title={t('accept.title')}
      subtitle={t('accept.subtitle', { account: invitation.accountName, role: t(`roles.${invitation.role}`) })}
    >
      <Box component="form" noValidate onSubmit={(e) => void onSubmit(e)} sx={{ display: 'grid', gap: 2 }}>
        <TextField label={t('accept.email')} value={invitation.email} size="medium" slotProps={{ htmlInput: { readOnly: true } }} />
        <Controller
          control={control}
          name="name"
          render={({ field, fieldState }) => (
            <TextField
              {...field}
              inputRef={field.ref}
              label={t('accept.name')}
              autoComplete="name"
              autoFocus
              required
              size="medium"
              error={Boolean(fieldState.error)}
              helperText={errorText(fieldState.error)}
            />
          )}
        />
        <Controller
          control={control}
          name="password"
          render={({ field, fieldState }) => (
            <TextField
              {...field}
              inputRef={field.ref}
              type="password"
              label={t('accept.password')}
              autoComplete="new-password"
              required
              size="medium"
              error={Boolean(fieldState.error)}
              helperText={errorText(fieldState.error) ?? t('accept.passwordHint', { min: MIN_PASSWORD })}
            />
          )}
        />
        <Controller
          control={control}
          name="confirm"
          render={({ field, fieldState }) => (
            <TextField
              {...field}
              inputRef={field.ref}
              type="password"
              label={t('accept.confirm')}
              autoComplete="new-password"
              required
              size="medium"
              error={Boolean(fieldState.error)}
              helperText={errorText(fieldState.error)}
            />
          )}
        />
        {failure && <ErrorAlert error={failure} />}
        <Button type="submit" variant="contained" size="large" disabled={accepting}>
          {t('accept.submit')}
        </Button>
        <Typography variant="caption" sx={{ color: 'text.secondary', textAlign: 'center' }}>
          {t('accept.expires', { date: formatDate(invitation.expiresAt, lang) })}
        </Typography>
      </Box>
    </AuthLayout>
  );
}
