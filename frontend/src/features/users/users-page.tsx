import { Card, CardContent } from '@mui/material';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { UsersPanel } from './users-panel';

export function UsersPage() {
  const { t } = useTranslation();
  const { accountId = '' } = useParams();
  return (
    <>
      <PageHeader overline={t('nav.configuration')} title={t('users.title')} description={t('users.description')} />
      <Card>
        <CardContent sx={{ p: { xs: 2, sm: 3 } }}>
          <UsersPanel accountId={accountId} />
        </CardContent>
      </Card>
    </>
  );
}
