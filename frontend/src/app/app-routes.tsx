import { Navigate, Route, Routes, useLocation } from 'react-router';
import { ActivityPage } from '../features/activity/activity-page';
import { AcceptInvitationPage } from '../features/auth/accept-invitation-page';
import { SignInPage } from '../features/auth/sign-in-page';
import { ApiAccessPage } from '../features/api-access/api-access-page';
import { ExplorerPage } from '../features/api-access/explorer-page';
import { WebhooksPage } from '../features/api-access/webhooks-page';
import { ContactInfoPage } from '../features/contact-info/contact-info-page';
import { LaunchPage } from '../features/overview/launch-page';
import { OverviewPage } from '../features/overview/overview-page';
import { PublicSupportPage } from '../features/public-support/public-support-page';
import { VerifyContactPage } from '../features/reachability/verify-contact-page';
import { StaffAccountPage } from '../features/staff/staff-account-page';
import { StaffAccountsPage } from '../features/staff/staff-accounts-page';
import { StaffShell } from '../features/staff/staff-shell';
import { UsersPage } from '../features/users/users-page';
import { HomeRedirect } from './home-redirect';
import { RequireAuth } from '../lib/me-context';
import { NotFoundPage } from './not-found-page';
import { PortalShell } from './portal-shell';

function ToOverview() {
  const { search } = useLocation();
  return <Navigate to={`overview${search}`} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/invitations/accept" element={<AcceptInvitationPage />} />
      <Route path="/support/:accountId" element={<PublicSupportPage />} />
      <Route path="/verify-contact" element={<VerifyContactPage />} />
      <Route
        path="/"
        element={
          <RequireAuth>
            <HomeRedirect />
          </RequireAuth>
        }
      />
      <Route
        path="/accounts/:accountId"
        element={
          <RequireAuth>
            <PortalShell />
          </RequireAuth>
        }
      >
        <Route index element={<ToOverview />} />
        <Route path="overview" element={<OverviewPage />} />
        <Route path="contact-info" element={<ContactInfoPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="activity" element={<ActivityPage />} />
        <Route path="api-access" element={<ApiAccessPage />} />
        <Route path="api-access/webhooks" element={<WebhooksPage />} />
        <Route path="api-access/explorer" element={<ExplorerPage />} />
        <Route path="launch" element={<LaunchPage />} />
      </Route>
      <Route
        path="/staff"
        element={
          <RequireAuth staffOnly>
            <StaffShell />
          </RequireAuth>
        }
      >
        <Route index element={<StaffAccountsPage />} />
        <Route path="accounts/:accountId" element={<StaffAccountPage />} />
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
