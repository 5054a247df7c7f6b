import { Button, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../features/auth/auth-layout';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <AuthLayout title={t('notFound.title')}>
      <Typography sx={{ mb: 3, textAlign: 'center' }}>{t('notFound.body')}</Typography>
      <Button component={RouterLink} to="/" variant="contained" fullWidth>
        {t('notFound.home')}
      </Button>
    </AuthLayout>
  );
}
