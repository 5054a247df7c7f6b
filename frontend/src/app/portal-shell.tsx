import { useDocumentTitle } from '../lib/document-title';
import { useMemo, useState, type ReactNode } from 'react';
import {
  AppBar,
  Box,
  Drawer,
  IconButton,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  ListSubheader,
  Snackbar,
  Alert,
  Toolbar,
  Tooltip,
  useMediaQuery,
  useTheme,
} from '@mui/material';
import MenuIcon from '@mui/icons-material/Menu';
import DashboardIcon from '@mui/icons-material/DashboardOutlined';
import ContactPhoneIcon from '@mui/icons-material/ContactPhoneOutlined';
import GroupIcon from '@mui/icons-material/GroupOutlined';
import HistoryIcon from '@mui/icons-material/ManageHistoryOutlined';
import KeyIcon from '@mui/icons-material/KeyOutlined';
import RocketIcon from '@mui/icons-material/RocketLaunchOutlined';
import LockIcon from '@mui/icons-material/LockOutlined';
import SupportAgentIcon from '@mui/icons-material/SupportAgentOutlined';
import { Link as RouterLink, Outlet, useLocation, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql/gql';
import { getFragmentData } from '../gql/fragment-masking';
import { PageSkeleton } from '../components/loading';
import { ErrorPage, PageErrorBoundary } from '../components/error-page';
import { GateModal } from '../features/contact-info/gate-modal';
import type { SavedAccount } from '../features/contact-info/use-save-contact-info';
import { ReviewModal, reviewPostponed } from '../features/review/review-modal';
import { ReachabilityBanner } from '../features/reachability/reachability-banner';
import { ReachabilityProvider } from '../features/reachability/reachability-context';
import { AccountPicker } from './account-picker';
import { Brand } from '../components/brand';
import { accountPath, useEnvironment, type AccountSection } from '../lib/environment';
import { EnvironmentSwitch } from './environment-switch';
import { LanguageSwitch } from '../components/language-switch';
import { useLiveGate, type LiveGate } from '../lib/live-gate';
import { AccessGateFieldsDoc } from '../components/gate-chip';
import { useMe } from '../lib/me-context';
import { useSignOut } from '../lib/sign-out';
import { UserMenu } from '../components/user-menu';

export const PortalShellDocument = graphql(`
  query PortalShell($accountId: ID!) {
    account(id: $accountId) {
      id
      name
      integrationTypes
      sandboxGate: accessGate(environment: SANDBOX) {
        ...AccessGateFields
      }
      productionGate: accessGate(environment: PRODUCTION) {
        ...AccessGateFields
      }
    }
  }
`);

const DRAWER_WIDTH = 264;


/** Top bar, left navigation and the blocking modal around every account page. */
export function PortalShell() {
  const { t } = useTranslation();
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up('md'));
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { accountId = '' } = useParams();
  const environment = useEnvironment();
  const me = useMe();
  const signOut = useSignOut();
  const [{ data, fetching, error }, reload] = useQuery({ query: PortalShellDocument, variables: { accountId } });
  // The newest gate heard of, from one's own save or the live subscription, until the shell query
  // catches up (its next answer is at least as new).
  const [heard, setHeard] = useState<{ base: unknown; key: string; gate: LiveGate } | null>(null);
  const [unlockedNotice, setUnlockedNotice] = useState(false);

  const account = data?.account;
  const location = useLocation();
  const sectionTitles: Record<string, string> = {
    overview: t('nav.overview'),
    'contact-info': t('nav.contactInfo'),
    users: t('nav.users'),
    activity: t('nav.activity'),
    'api-access': t('nav.apiAccess'),
    launch: t('nav.launch'),
  };
  useDocumentTitle(sectionTitles[location.pathname.split('/')[3] ?? ''], account?.name);
  const key = `${accountId}:${environment}`;
  const sandboxGate = getFragmentData(AccessGateFieldsDoc, account?.sandboxGate);
  const productionGate = getFragmentData(AccessGateFieldsDoc, account?.productionGate);
  const queried = environment === 'PRODUCTION' ? productionGate : sandboxGate;
  const gate: LiveGate | undefined = heard && heard.key === key && heard.base === data ? heard.gate : (queried ?? undefined);
  const sandboxLocked = environment === 'SANDBOX' && gate ? gate.locked : Boolean(sandboxGate?.locked);
  const productionLocked = environment === 'PRODUCTION' && gate ? gate.locked : Boolean(productionGate?.locked);
  const member = me.memberships.some((m) => m.account.id === accountId);
  const modalOpen = Boolean(gate?.locked && member && !me.staff);
  // Once complete, an overdue review opens the same form in review mode (staff are never gated).
  const [postponedAt, setPostponedAt] = useState<string | undefined>();
  const postponed = gate?.reviewDueAt !== undefined && (postponedAt === gate.reviewDueAt || reviewPostponed(accountId, gate.reviewDueAt));
  const reviewOpen = Boolean(!modalOpen && gate?.reviewOverdue && member && !me.staff && (gate.reviewLocked || !postponed));
  const role = me.memberships.find((m) => m.account.id === accountId)?.role;

  const hear = (next: LiveGate) => {
    setHeard({ base: data, key, gate: next });
    if (modalOpen && !next.locked) setUnlockedNotice(true);
  };
  const onSaved = (result: SavedAccount) => hear(getFragmentData(AccessGateFieldsDoc, result.accessGate));
  // Someone else may complete the contact info: the modal closes as after one's own save.
  useLiveGate(accountId, environment, Boolean(account), hear);

  const drawer = (
    <Nav
      accountId={accountId}
      accountName={account?.name ?? ''}
      sandboxLocked={sandboxLocked}
      productionLocked={productionLocked}
      onNavigate={() => setDrawerOpen(false)}
      showAccount={!desktop}
    />
  );

  let content: ReactNode;
  if (fetching && !data) content = <PageSkeleton />;
  else if (!account) content = <ErrorPage error={error} onRetry={() => reload({ requestPolicy: 'network-only' })} />;
  else
    content = (
      <>
        <ReachabilityBanner />
        <PageErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </PageErrorBoundary>
      </>
    );

  return (
    <ReachabilityProvider accountId={account ? accountId : ''} canAct={role === 'EDITOR' || role === 'ADMINISTRATOR'}>
    <Box sx={{ display: 'flex', minHeight: '100vh', bgcolor: 'background.default' }}>
      <AppBar position="fixed" sx={{ zIndex: (th) => (desktop ? th.zIndex.drawer + 1 : th.zIndex.appBar) }}>
        <Toolbar sx={{ gap: { xs: 0.5, sm: 1.5 }, px: { xs: 1, sm: 2 } }}>
          {!desktop && (
            <IconButton aria-label={t('shell.openNavigation')} onClick={() => setDrawerOpen(true)} edge="start">
              <MenuIcon />
            </IconButton>
          )}
          <Brand hideNameOnPhone />
          {desktop && account && (
            <Box sx={{ ml: 3 }}>
              <AccountPicker accountId={accountId} accountName={account.name} />
            </Box>
          )}
          <Box sx={{ flex: 1 }} />
          <EnvironmentSwitch />
          <LanguageSwitch compact />
          <UserMenu />
        </Toolbar>
      </AppBar>

      <Box component="nav" aria-label={t('shell.navigation')} sx={{ width: { md: DRAWER_WIDTH }, flexShrink: { md: 0 } }}>
        {desktop ? (
          <Drawer
            variant="permanent"
            open
            slotProps={{ paper: { sx: { width: DRAWER_WIDTH, borderRight: 0, bgcolor: 'background.default' } } }}
          >
            <Toolbar />
            {drawer}
          </Drawer>
        ) : (
          <Drawer
            variant="temporary"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            slotProps={{ paper: { sx: { width: DRAWER_WIDTH } } }}
          >
            <Box sx={{ px: 2, py: 1.5 }}>
              <Brand />
            </Box>
            {drawer}
          </Drawer>
        )}
      </Box>

      <Box component="main" sx={{ flex: 1, minWidth: 0, px: { xs: 2, sm: 3, lg: 4 }, pb: 6 }}>
        <Toolbar />
        <Box sx={{ maxWidth: 1120, mx: 'auto', pt: { xs: 2, sm: 3 } }}>{content}</Box>
      </Box>

      {account && gate && (
        <ReviewModal
          open={reviewOpen}
          accountId={accountId}
          accountName={account.name}
          environment={environment}
          gate={gate}
          canConfirm={role === 'EDITOR' || role === 'ADMINISTRATOR'}
          onReviewed={(next) => setHeard({ base: data, key, gate: next })}
          onPostponed={() => setPostponedAt(gate.reviewDueAt)}
          onSignOut={signOut}
        />
      )}
      {account && (
        <GateModal
          open={modalOpen}
          accountId={accountId}
          accountName={account.name}
          environment={environment}
          onSaved={onSaved}
          onSignOut={signOut}
        />
      )}
      <Snackbar
        open={unlockedNotice}
        autoHideDuration={6000}
        onClose={() => setUnlockedNotice(false)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity="success" variant="filled" onClose={() => setUnlockedNotice(false)}>
          {t('gate.unlocked')}
        </Alert>
      </Snackbar>
    </Box>
    </ReachabilityProvider>
  );
}

type NavProps = {
  accountId: string;
  accountName: string;
  sandboxLocked: boolean;
  productionLocked: boolean;
  showAccount: boolean;
  onNavigate: () => void;
};

function Nav({ accountId, accountName, sandboxLocked, productionLocked, showAccount, onNavigate }: NavProps) {
  const { t } = useTranslation();
  const me = useMe();
  const environment = useEnvironment();
  const location = useLocation();
  const section = location.pathname.split('/')[3] as AccountSection | undefined;
  // The activity (audit log) is for the account's administrators and staff; it is not gated.
  const seesActivity = me.staff || me.memberships.some((m) => m.account.id === accountId && m.role === 'ADMINISTRATOR');
  const items = useMemo(
    () => [
      { section: 'overview' as const, label: t('nav.overview'), icon: <DashboardIcon />, locked: false, group: 'main' },
      { section: 'contact-info' as const, label: t('nav.contactInfo'), icon: <ContactPhoneIcon />, locked: false, group: 'config' },
      { section: 'users' as const, label: t('nav.users'), icon: <GroupIcon />, locked: false, group: 'config' },
      ...(seesActivity
        ? [{ section: 'activity' as const, label: t('nav.activity'), icon: <HistoryIcon />, locked: false, group: 'config' }]
        : []),
      { section: 'api-access' as const, label: t('nav.apiAccess'), icon: <KeyIcon />, locked: sandboxLocked, group: 'integration' },
      { section: 'launch' as const, label: t('nav.launch'), icon: <RocketIcon />, locked: productionLocked, group: 'integration' },
    ],
    [t, sandboxLocked, productionLocked, seesActivity],
  );

  const renderItem = (item: (typeof items)[number]) => {
    const selected = section === item.section;
    const button = (
      <ListItemButton
        component={RouterLink}
        to={accountPath(accountId, item.section, environment)}
        selected={selected}
        aria-current={selected ? 'page' : undefined}
        disabled={item.locked}
        onClick={onNavigate}
        sx={{ pl: 3, mr: 1, my: 0.25 }}
      >
        <ListItemIcon>{item.locked ? <LockIcon /> : item.icon}</ListItemIcon>
        <ListItemText primary={item.label} secondary={item.locked ? t('nav.locked') : undefined} />
      </ListItemButton>
    );
    return (
      <Box component="li" key={item.section} sx={{ listStyle: 'none' }}>
        {item.locked ? (
          <Tooltip title={t('nav.lockedHint')} placement="right">
            <span>{button}</span>
          </Tooltip>
        ) : (
          button
        )}
      </Box>
    );
  };

  return (
    <Box sx={{ py: 1 }}>
      {showAccount && (
        <Box sx={{ px: 2, pb: 1.5 }}>
          <AccountPicker accountId={accountId} accountName={accountName} />
        </Box>
      )}
      <List dense={false} disablePadding>
        {items.filter((i) => i.group === 'main').map(renderItem)}
      </List>
      <List
        disablePadding
        subheader={
          <ListSubheader component="li" sx={{ bgcolor: 'transparent', pl: 3, lineHeight: '36px' }}>
            {t('nav.configuration')}
          </ListSubheader>
        }
      >
        {items.filter((i) => i.group === 'config').map(renderItem)}
      </List>
      <List
        disablePadding
        subheader={
          <ListSubheader component="li" sx={{ bgcolor: 'transparent', pl: 3, lineHeight: '36px' }}>
            {t('nav.integration')}
          </ListSubheader>
        }
      >
        {items.filter((i) => i.group === 'integration').map(renderItem)}
      </List>
      {me.staff && (
        <List disablePadding sx={{ mt: 1 }}>
          <Box component="li" sx={{ listStyle: 'none' }}>
            <ListItemButton component={RouterLink} to="/staff" onClick={onNavigate} sx={{ pl: 3, mr: 1 }}>
              <ListItemIcon>
                <SupportAgentIcon />
              </ListItemIcon>
              <ListItemText primary={t('nav.staff')} />
            </ListItemButton>
          </Box>
        </List>
      )}
    </Box>
  );
}
