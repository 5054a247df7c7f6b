import { Navigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../features/auth/auth-layout';
import { Alert, Button } from '@mui/material';
import { accountPath } from '../lib/environment';
import { useMe } from '../lib/me-context';
import { useSignOut } from '../lib/sign-out';

/** Staff land on the dashboard, partners on their first account. */
export function HomeRedirect() {
  const { t } = useTranslation();
  const me = useMe();
  const signOut = useSignOut();
  if (me.staff) return <Navigate to="/staff" replace />;
  const first = me.memberships[0];
  if (first) return <Navigate to={accountPath(first.account.id, 'overview', 'SANDBOX')} replace />;
  return (
    <AuthLayout title={t('home.noAccountsTitle')}>
      <Alert severity="info" sx={{ mb: 2 }}>
        {t('home.noAccounts')}
      </Alert>
      <Button fullWidth onClick={signOut}>
        {t('user.signOut')}
      </Button>
    </AuthLayout>
  );
}
