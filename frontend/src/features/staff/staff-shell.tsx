import { AppBar, Box, Chip, Toolbar } from '@mui/material';
import { Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Brand } from '../../components/brand';
import { LanguageSwitch } from '../../components/language-switch';
import { UserMenu } from '../../components/user-menu';
import { PageErrorBoundary } from '../../components/error-page';

/** The staff dashboard's frame: the same white top bar, full-width content. */
export function StaffShell() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'background.default' }}>
      <AppBar position="fixed">
        <Toolbar sx={{ gap: 1.5, px: { xs: 1.5, sm: 2 } }}>
          <Brand />
          <Chip size="small" color="primary" variant="outlined" label={t('staff.badge')} />
          <Box sx={{ flex: 1 }} />
          <LanguageSwitch compact />
          <UserMenu />
        </Toolbar>
      </AppBar>
      <Box component="main" sx={{ px: { xs: 2, sm: 3, lg: 4 }, pb: 6 }}>
        <Toolbar />
        <Box sx={{ maxWidth: 1280, mx: 'auto', pt: { xs: 2, sm: 3 } }}>
          <PageErrorBoundary resetKey={pathname}>
            <Outlet />
          </PageErrorBoundary>
        </Box>
      </Box>
    </Box>
  );
}
