import { useState } from 'react';
import { Box, Button } from '@mui/material';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { MeDocument } from '../../lib/me-context';
import { recordLanguage } from '../../lib/record-language';
import { useSession } from '../../lib/session-context';
import { FormTextField } from '../../components/form-text-field';
import { Loading } from '../../components/loading';
import { AuthLayout } from './auth-layout';
import { SignInFailure, signInFailureText } from './sign-in-failure';

export const SignInDocument = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      staff
      user {
        id
      }
    }
  }
`);

const schema = z.object({
  email: z.string().trim().min(1, 'validation.emailRequired'),
  password: z.string().min(1, 'validation.passwordRequired'),
});
type Values = z.infer<typeof schema>;

/** Only same-site paths are followed after sign-in. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useClient();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { resetClient } = useSession();
  const [{ data, fetching }] = useQuery({ query: MeDocument, requestPolicy: 'cache-first' });
  const [{ fetching: signingIn }, signIn] = useMutation(SignInDocument);
  const [failure, setFailure] = useState('');
  const { control, handleSubmit } = useForm<Values>({ defaultValues: { email: '', password: '' }, resolver: zodResolver(schema) });

  if (fetching && !data) return <Loading minHeight="100vh" />;
  if (data?.me) return <Navigate to={next} replace />;

  const onSubmit = handleSubmit(async (values) => {
    setFailure('');
    const result = await signIn(values);
    if (result.error) {
      setFailure(signInFailureText(t, result.error, 'signIn.wrong'));
      return;
    }
    // The mails this person receives follow the language they signed in with.
    recordLanguage(client, i18n.resolvedLanguage);
    resetClient();
    navigate(next, { replace: true });
  });

  return (
    <AuthLayout title={t('signIn.title')} subtitle={t('signIn.subtitle')}>
      <Box component="form" noValidate onSubmit={(e) => void onSubmit(e)} sx={{ display: 'grid', gap: 2 }}>
        <FormTextField
          control={control}
          name="email"
          type="email"
          label={t('signIn.email')}
          autoComplete="username"
          autoFocus
          required
          size="medium"
        />
        <FormTextField
          control={control}
          name="password"
          type="password"
          label={t('signIn.password')}
          autoComplete="current-password"
          required
          size="medium"
        />
        <SignInFailure text={failure} />
        <Button type="submit" variant="contained" size="large" disabled={signingIn}>
          {t('signIn.submit')}
        </Button>
      </Box>
    </AuthLayout>
  );
}
