import { Card, CardContent, CardHeader } from '@mui/material';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useEnvironment } from '../../lib/environment';
import { PageHeader } from '../../components/page-header';
import { ChangeHistory } from './change-history';
import { ContactInfoEditor } from './contact-info-editor';
import { ReachabilityPanel } from '../reachability/reachability-panel';

/** Configuration › Contact info: the same form as the modal, plus the change history. */
export function ContactInfoPage() {
  const { t } = useTranslation();
  const { accountId = '' } = useParams();
  const environment = useEnvironment();
  return (
    <>
      <PageHeader overline={t('nav.configuration')} title={t('contactInfo.title')} description={t('contactInfo.description')} />
      <Card sx={{ mb: 3 }}>
        <CardContent sx={{ p: { xs: 2, sm: 3 }, '&:last-child': { pb: 0 } }}>
          <ContactInfoEditor accountId={accountId} environment={environment} variant="page" />
        </CardContent>
      </Card>
      <ReachabilityPanel />
      <Card>
        <CardHeader title={t('history.title')} slotProps={{ title: { variant: 'h2', component: 'h2' } }} />
        <CardContent sx={{ pt: 0 }}>
          <ChangeHistory accountId={accountId} />
        </CardContent>
      </Card>
    </>
  );
}
