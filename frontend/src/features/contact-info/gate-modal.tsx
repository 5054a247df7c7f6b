import { useId, useState } from 'react';
import { Box, Button, Link, Tab, Tabs, Typography } from '@mui/material';
import HelpOutlineIcon from '@mui/icons-material/HelpOutlined';
import LogoutIcon from '@mui/icons-material/Logout';
import { useTranslation } from 'react-i18next';
import type { Environment } from '../../gql/graphql';
import { AppDialog } from '../../components/app-dialog';
import { LanguageSwitch } from '../../components/language-switch';
import { usePortalConfig } from '../../lib/portal-config';
import { UsersPanel } from '../users/users-panel';
import { ContactInfoEditor } from './contact-info-editor';
import type { SavedAccount } from './use-save-contact-info';

type Props = {
  open: boolean;
  accountId: string;
  accountName: string;
  environment: Environment;
  onSaved: (account: SavedAccount) => void;
  onSignOut: () => void;
};

/**
 * Opens over the portal while the account's gate is locked in the current environment.
 * It cannot be dismissed: no close button, and Escape and backdrop clicks do nothing.
 */
export function GateModal({ open, accountId, accountName, environment, onSaved, onSignOut }: Props) {
  const { t } = useTranslation();
  const config = usePortalConfig();
  const [tab, setTab] = useState(0);
  const introId = useId();
  const tabsId = useId();

  return (
    <AppDialog
      open={open}
      testId="gate-modal"
      title={t('gate.title')}
      subtitle={t('gate.subtitle', { account: accountName, environment: t(`environment.${environment}`) })}
      describedBy={introId}
      maxWidth="lg"
      fullScreenOnPhone
      fixedHeight
      // Once unlocked, the page the modal covered: its main heading, so keyboard users start at the top.
      focusOnClose={() => document.querySelector<HTMLElement>('main h1')}
      contentSx={{ pt: 0 }}
      headerActions={
        <>
          <LanguageSwitch compact />
          {config?.supportUrl && (
            <Button
              component="a"
              href={config.supportUrl}
              target="_blank"
              rel="noopener noreferrer"
              startIcon={<HelpOutlineIcon />}
              size="small"
            >
              {t('gate.contactSupport')}
            </Button>
          )}
        </>
      }
      actions={
        <Box sx={{ display: 'flex', alignItems: 'center', width: '100%', gap: 1, flexWrap: 'wrap' }}>
          {config?.referenceGuideUrl && (
            <Link href={config.referenceGuideUrl} target="_blank" rel="noopener noreferrer" variant="body2" sx={{ flex: 1 }}>
              {t('gate.referenceGuide')}
            </Link>
          )}
          <Button startIcon={<LogoutIcon />} onClick={onSignOut} color="inherit">
            {t('user.signOut')}
          </Button>
        </Box>
      }
    >
      <Typography id={introId} variant="body2" sx={{ color: 'text.secondary', pt: 2, mb: 1, maxWidth: 900 }}>
        {t('gate.intro')}
      </Typography>
      <Box
        sx={{
          position: 'sticky',
          top: 0,
          zIndex: 3,
          bgcolor: 'background.paper',
          mx: { xs: -2, sm: -3 },
          px: { xs: 1, sm: 3 },
          borderBottom: 1,
          borderColor: 'divider',
        }}
      >
        <Tabs value={tab} onChange={(_, next: number) => setTab(next)} aria-label={t('gate.tabsLabel')}>
          <Tab label={t('gate.tabContactInfo')} id={`${tabsId}-tab-0`} aria-controls={`${tabsId}-panel-0`} />
          <Tab label={t('gate.tabUsers')} id={`${tabsId}-tab-1`} aria-controls={`${tabsId}-panel-1`} />
        </Tabs>
      </Box>
      <Box role="tabpanel" id={`${tabsId}-panel-0`} aria-labelledby={`${tabsId}-tab-0`} hidden={tab !== 0} sx={{ pt: 2 }}>
        <ContactInfoEditor accountId={accountId} environment={environment} variant="modal" onSaved={onSaved} />
      </Box>
      <Box role="tabpanel" id={`${tabsId}-panel-1`} aria-labelledby={`${tabsId}-tab-1`} hidden={tab !== 1} sx={{ pt: 2 }}>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2, maxWidth: 900 }}>
          {t('gate.usersIntro')}
        </Typography>
        {tab === 1 && <UsersPanel accountId={accountId} compact />}
      </Box>
    </AppDialog>
  );
}
