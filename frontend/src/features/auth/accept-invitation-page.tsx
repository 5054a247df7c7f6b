import { useState } from 'react';
import { Alert, Box, Button, Link, TextField, Typography } from '@mui/material';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import type { InvitationPreviewQuery } from '../../gql/graphql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { accountPath } from '../../lib/environment';
import { formatDate } from '../../lib/format';
import { MeDocument } from '../../lib/me-context';
import { recordLanguage } from '../../lib/record-language';
import { useSession } from '../../lib/session-context';
import { SignOutDocument } from '../../lib/sign-out';
import { inputFields, setServerFieldErrors } from '../../lib/server-field-errors';
import { ErrorAlert } from '../../components/error-alert';
import { FormTextField } from '../../components/form-text-field';
import { Loading } from '../../components/loading';
import { AuthLayout } from './auth-layout';
import { SignInFailure, signInFailureText } from './sign-in-failure';
import { SignInDocument } from './sign-in-page';

export const InvitationPreviewDocument = graphql(`
  query InvitationPreview($token: String!) {
    invitation(token: $token) {
      email
      accountId
      accountName
      role
      expiresAt
      existingUser
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

type Invitation = NonNullable<InvitationPreviewQuery['invitation']>;

/**
 * /invitations/accept?token=…. A new person chooses a name and a password and goes straight into the
 * portal. An email that already has a user never joins by the link alone: that person signs in (or
 * already is), then confirms; signed in as somebody else, they are asked to sign out first.
 */
export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [{ data, fetching, error }] = useQuery({
    query: InvitationPreviewDocument,
    variables: { token },
    pause: !token,
    requestPolicy: 'network-only',
  });
  const invitation = data?.invitation;
  const [me, reloadMe] = useQuery({ query: MeDocument, requestPolicy: 'network-only', pause: !invitation?.existingUser });

  if (token && fetching && !data) return <Loading minHeight="100vh" />;
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
  if (!invitation.existingUser) return <NewPersonForm token={token} invitation={invitation} />;
  if (me.fetching && !me.data) return <Loading minHeight="100vh" />;
  if (me.error && !me.data) {
    return (
      <AuthLayout title={t('accept.title')}>
        <ErrorAlert error={me.error} />
      </AuthLayout>
    );
  }
  return (
    <ExistingUserPanel
      token={token}
      invitation={invitation}
      signedInAs={me.data?.me?.user.email ?? null}
      onSessionChanged={() => reloadMe({ requestPolicy: 'network-only' })}
    />
  );
}

/** Where an accepted invitation lands: the invited account, picked by id. */
function useEnterPortal(invitation: Invitation) {
  const { i18n } = useTranslation();
  const navigate = useNavigate();
  const { resetClient } = useSession();
  const client = useClient();
  return (me: { memberships: { account: { id: string } }[] }) => {
    const membership = me.memberships.find((m) => m.account.id === invitation.accountId) ?? me.memberships[0];
    // The mails this person receives follow the language they accepted in.
    recordLanguage(client, i18n.resolvedLanguage ?? 'en');
    resetClient();
    navigate(membership ? accountPath(membership.account.id, 'overview', 'SANDBOX') : '/', { replace: true });
  };
}

function Expiry({ invitation }: { invitation: Invitation }) {
  const { t, i18n } = useTranslation();
  return (
    <Typography variant="caption" sx={{ color: 'text.secondary', textAlign: 'center' }}>
      {t('accept.expires', { date: formatDate(invitation.expiresAt, i18n.resolvedLanguage ?? 'en') })}
    </Typography>
  );
}

/** A new person: name and a new password, then signed in. */
function NewPersonForm({ token, invitation }: { token: string; invitation: Invitation }) {
  const { t } = useTranslation();
  const enterPortal = useEnterPortal(invitation);
  const [{ fetching: accepting }, accept] = useMutation(AcceptInvitationDocument);
  const [failure, setFailure] = useState<CombinedError>();
  const { control, handleSubmit, setError } = useForm<Values>({
    defaultValues: { name: '', password: '', confirm: '' },
    resolver: zodResolver(schema),
  });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(undefined);
    const result = await accept({ input: { token, name: values.name.trim(), password: values.password } });
    if (result.error || !result.data) {
      if (!setServerFieldErrors(result.error, setError, inputFields<Values>(['name'], 'password'))) setFailure(result.error);
      return;
    }
    enterPortal(result.data.acceptInvitation);
  });

  return (
    <AuthLayout
      title={t('accept.title')}
      subtitle={t('accept.subtitle', { account: invitation.accountName, role: t(`roles.${invitation.role}`) })}
    >
      <Box component="form" noValidate onSubmit={(e) => void onSubmit(e)} sx={{ display: 'grid', gap: 2 }}>
        <TextField label={t('accept.email')} value={invitation.email} size="medium" slotProps={{ htmlInput: { readOnly: true } }} />
        <FormTextField control={control} name="name" label={t('accept.name')} autoComplete="name" autoFocus required size="medium" />
        <FormTextField
          control={control}
          name="password"
          type="password"
          label={t('accept.password')}
          autoComplete="new-password"
          required
          size="medium"
          hint={t('accept.passwordHint', { min: MIN_PASSWORD })}
        />
        <FormTextField
          control={control}
          name="confirm"
          type="password"
          label={t('accept.confirm')}
          autoComplete="new-password"
          required
          size="medium"
        />
        {failure && <ErrorAlert error={failure} />}
        <Button type="submit" variant="contained" size="large" disabled={accepting}>
          {t('accept.submit')}
        </Button>
        <Expiry invitation={invitation} />
      </Box>
    </AuthLayout>
  );
}

const signInSchema = z.object({ password: z.string().min(1, 'validation.passwordRequired') });

/**
 * An email that already has a user: sign in as that user (the link is no password), then confirm.
 * Signed in as somebody else, the person signs out first and comes back to this page.
 */
function ExistingUserPanel({
  token,
  invitation,
  signedInAs,
  onSessionChanged,
}: {
  token: string;
  invitation: Invitation;
  signedInAs: string | null;
  /** Reloads who is signed in, after signing in or out on this page. */
  onSessionChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const { resetClient } = useSession();
  const enterPortal = useEnterPortal(invitation);
  const [{ fetching: signingIn }, signIn] = useMutation(SignInDocument);
  const [{ fetching: signingOut }, signOut] = useMutation(SignOutDocument);
  const [{ fetching: accepting }, accept] = useMutation(AcceptInvitationDocument);
  const [failure, setFailure] = useState<CombinedError>();
  const [signInFailure, setSignInFailure] = useState('');
  const { control, handleSubmit } = useForm<{ password: string }>({
    defaultValues: { password: '' },
    resolver: zodResolver(signInSchema),
  });
  const subtitle = t('accept.subtitle', { account: invitation.accountName, role: t(`roles.${invitation.role}`) });

  if (signedInAs && signedInAs !== invitation.email) {
    return (
      <AuthLayout title={t('accept.title')} subtitle={subtitle}>
        <Box sx={{ display: 'grid', gap: 2 }}>
          <Alert severity="warning">{t('accept.otherUser', { current: signedInAs, email: invitation.email })}</Alert>
          <Button
            variant="contained"
            size="large"
            disabled={signingOut}
            onClick={() =>
              // Back to this page signed out: the person then signs in as the invited user.
              void signOut({}).finally(() => {
                resetClient();
                onSessionChanged();
              })
            }
          >
            {t('accept.signOut')}
          </Button>
          <Expiry invitation={invitation} />
        </Box>
      </AuthLayout>
    );
  }

  if (signedInAs) {
    const onJoin = async () => {
      setFailure(undefined);
      const result = await accept({ input: { token } });
      if (result.error || !result.data) {
        setFailure(result.error);
        return;
      }
      enterPortal(result.data.acceptInvitation);
    };
    return (
      <AuthLayout title={t('accept.title')} subtitle={subtitle}>
        <Box sx={{ display: 'grid', gap: 2 }}>
          <Typography>{t('accept.signedInAs', { email: invitation.email })}</Typography>
          {failure && <ErrorAlert error={failure} />}
          <Button variant="contained" size="large" disabled={accepting} onClick={() => void onJoin()}>
            {t('accept.join', { account: invitation.accountName })}
          </Button>
          <Expiry invitation={invitation} />
        </Box>
      </AuthLayout>
    );
  }

  const onSignIn = handleSubmit(async (values) => {
    setSignInFailure('');
    const result = await signIn({ email: invitation.email, password: values.password });
    if (result.error) {
      setSignInFailure(signInFailureText(t, result.error, 'accept.wrongPassword'));
      return;
    }
    // The mails this person receives follow the language they signed in with.
    recordLanguage(client, i18n.resolvedLanguage);
    resetClient();
    onSessionChanged();
  });

  return (
    <AuthLayout title={t('accept.title')} subtitle={subtitle}>
      <Box component="form" noValidate onSubmit={(e) => void onSignIn(e)} sx={{ display: 'grid', gap: 2 }}>
        <Alert severity="info">{t('accept.existingUser')}</Alert>
        <TextField
          label={t('accept.email')}
          value={invitation.email}
          size="medium"
          autoComplete="username"
          slotProps={{ htmlInput: { readOnly: true } }}
        />
        <FormTextField
          control={control}
          name="password"
          type="password"
          label={t('accept.currentPassword')}
          autoComplete="current-password"
          autoFocus
          required
          size="medium"
        />
        <SignInFailure text={signInFailure} />
        <Button type="submit" variant="contained" size="large" disabled={signingIn}>
          {t('accept.signIn')}
        </Button>
        <Expiry invitation={invitation} />
      </Box>
    </AuthLayout>
  );
}
