import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { makeSubject } from 'wonka';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/render';
import { codeError, mockClient, type Handler, type MockResponse } from '../../test/mock-client';
import {
  ACCOUNT_ID,
  ALL_SANDBOX_FIELDS,
  editorAccount,
  emptyInfo,
  gate,
  makeMe,
  portalConfig,
  usersPanel,
} from '../../test/fixtures';
import type { ContactField, ContactInfoFieldsFragment, Role } from '../../gql/graphql';
import { AppRoutes } from '../../app/app-routes';
import { AppDialog } from '../../components/app-dialog';

const almostComplete = emptyInfo({
  technicalEmergency: [{ __typename: 'Contact', name: 'Pager', email: 'pager@partner.example', phone: null }],
  technicalNonEmergency: [{ __typename: 'Contact', name: null, email: 'dev@partner.example', phone: null }],
  merchantIssues: [{ __typename: 'Contact', name: null, email: 'merchants@partner.example', phone: null }],
  operationalForGoogle: [{ __typename: 'Contact', name: null, email: 'ops@partner.example', phone: null }],
  operationalForUsers: { __typename: 'Contact', name: 'Help desk', email: 'help@partner.example', phone: null },
});

function portal(role: Role, info: ContactInfoFieldsFragment, missing: ContactField[], extra: Record<string, Handler> = {}) {
  return mockClient({
    Me: () => ({ data: { me: makeMe(role) } }),
    PortalConfig: () => ({ data: portalConfig }),
    PortalShell: () => ({
      data: {
        account: {
          id: ACCOUNT_ID,
          name: 'Demo Partner',
          integrationTypes: ['APPOINTMENTS_E2E'],
          sandboxGate: gate('SANDBOX', missing),
          productionGate: gate('PRODUCTION', ['ALERT_CONTACTS', ...missing]),
        },
      },
    }),
    Overview: () => ({
      data: {
        account: {
          id: ACCOUNT_ID,
          name: 'Demo Partner',
          integrationTypes: ['APPOINTMENTS_E2E'],
          launchRequestedAt: null,
          sandbox: gate('SANDBOX', missing),
          production: gate('PRODUCTION', ['ALERT_CONTACTS', ...missing]),
          contactInfo: { version: info.version, updatedAt: null, updatedBy: null, operationalForUsers: null, operationalSupport: null },
        },
      },
    }),
    ContactInfoEditor: () => ({ data: editorAccount(info, missing) }),
    UsersPanel: () => ({ data: usersPanel([{ id: 'inv-1', email: 'new@partner.example', role: 'EDITOR', expiresAt: '2026-12-01T00:00:00Z', createdAt: '2026-11-24T00:00:00Z' }]) }),
    ...extra,
  });
}

const route = `/accounts/${ACCOUNT_ID}/overview?env=sandbox`;

function Dismissible() {
  const [open, setOpen] = useState(true);
  return (
    <AppDialog open={open} title="Dismissible" onClose={() => setOpen(false)}>
      body
    </AppDialog>
  );
}

describe('the blocking modal', () => {
  it('opens while the gate is locked and cannot be dismissed by Escape or the backdrop', async () => {
    const user = userEvent.setup();
    const { client } = portal('ADMINISTRATOR', emptyInfo(), ALL_SANDBOX_FIELDS);
    await renderApp(<AppRoutes />, { client, route });

    const dialog = await screen.findByRole('dialog', { name: 'Contact information required' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(within(dialog).queryByRole('button', { name: 'Close' })).toBeNull();
    // The links come from portalConfig, which may arrive after the dialog.
    expect(await within(dialog).findByRole('link', { name: 'Contact support' })).toHaveAttribute('href', 'https://support.example/contact');
    expect(await within(dialog).findByRole('link', { name: 'Reference guide' })).toHaveAttribute('href', 'https://support.example/guide');
    await within(dialog).findByRole('heading', { name: 'Technical emergency contacts' });

    await user.keyboard('{Escape}');
    expect(screen.getByRole('dialog', { name: 'Contact information required' })).toBeInTheDocument();
    // Focus is trapped in the modal.
    expect(dialog.closest('.MuiDialog-root')?.contains(document.activeElement)).toBe(true);

    const backdrop = document.querySelector('.MuiBackdrop-root');
    expect(backdrop).not.toBeNull();
    await user.click(backdrop as Element);
    expect(screen.getByRole('dialog', { name: 'Contact information required' })).toBeInTheDocument();
  });

  it('has a Users tab with members, pending invitations and the invite form', async () => {
    const user = userEvent.setup();
    const { client } = portal('ADMINISTRATOR', emptyInfo(), ALL_SANDBOX_FIELDS);
    await renderApp(<AppRoutes />, { client, route });
    const dialog = await screen.findByRole('dialog', { name: 'Contact information required' });
    await user.click(within(dialog).getByRole('tab', { name: 'Users' }));
    const panel = within(dialog).getByRole('tabpanel', { name: 'Users' });
    expect(await within(panel).findByText('Ada Admin')).toBeInTheDocument();
    expect(within(panel).getByText('new@partner.example')).toBeInTheDocument();
    expect(within(panel).getByRole('textbox', { name: /Email address/ })).toBeInTheDocument();
    expect(within(panel).getByRole('button', { name: 'Invite' })).toBeInTheDocument();
  });

  it('closes without a reload when the last missing field is saved', async () => {
    const user = userEvent.setup();
    const completed = { ...almostComplete, version: 2, operationalSupport: { alwaysOpen: true, windows: [], openNow: true, nextChange: null } };
    const { client, calls } = portal('EDITOR', almostComplete, ['OPERATIONAL_SUPPORT'], {
      UpdateContactInfo: () => ({
        data: { updateContactInfo: { account: { id: ACCOUNT_ID, accessGate: gate('SANDBOX', []), contactInfo: completed } } },
      }),
    });
    await renderApp(<AppRoutes />, { client, route });
    const dialog = await screen.findByRole('dialog', { name: 'Contact information required' });
    await user.click(await within(dialog).findByRole('radio', { name: '24/7' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Contact information required' })).toBeNull());
    expect(await screen.findByText('Contact information complete: the portal is unlocked.')).toBeInTheDocument();
    // Keyboard focus lands on the page's main heading, not on the body the modal opened over.
    await waitFor(() => expect(document.activeElement?.tagName).toBe('H1'));
    expect(document.querySelector('main')?.contains(document.activeElement)).toBe(true);
    const input = calls.find((c) => c.name === 'UpdateContactInfo')?.variables.input;
    expect(input).toEqual({
      accountId: ACCOUNT_ID,
      environment: 'SANDBOX',
      expectedVersion: 1,
      operationalSupport: { alwaysOpen: true, windows: [] },
    });
  });

  it('closes without a reload when someone else completes the contact info (live gate)', async () => {
    const live = makeSubject<MockResponse>();
    const { client, calls } = portal('EDITOR', almostComplete, ['OPERATIONAL_SUPPORT'], {
      AccessGateChanged: () => live.source,
    });
    await renderApp(<AppRoutes />, { client, route });
    const dialog = await screen.findByRole('dialog', { name: 'Contact information required' });
    await within(dialog).findByRole('radio', { name: '24/7' });
    await waitFor(() => expect(calls.filter((c) => c.name === 'AccessGateChanged')).toHaveLength(1));
    expect(calls.find((c) => c.name === 'AccessGateChanged')?.variables).toEqual({ accountId: ACCOUNT_ID, environment: 'SANDBOX' });

    // The current value first: still locked, the modal stays.
    act(() => live.next({ data: { accessGateChanged: gate('SANDBOX', ['OPERATIONAL_SUPPORT']) } }));
    expect(screen.getByRole('dialog', { name: 'Contact information required' })).toBeInTheDocument();

    // A colleague saves the last field.
    act(() => live.next({ data: { accessGateChanged: gate('SANDBOX', []) } }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Contact information required' })).toBeNull());
    expect(await screen.findByText('Contact information complete: the portal is unlocked.')).toBeInTheDocument();
    expect(calls.some((c) => c.name === 'UpdateContactInfo')).toBe(false);
  });

  it('ignores a live gate for another environment and goes on when the subscription fails', async () => {
    const live = makeSubject<MockResponse>();
    const { client } = portal('EDITOR', almostComplete, ['OPERATIONAL_SUPPORT'], { AccessGateChanged: () => live.source });
    await renderApp(<AppRoutes />, { client, route });
    await screen.findByRole('dialog', { name: 'Contact information required' });
    act(() => live.next({ data: { accessGateChanged: gate('PRODUCTION', []) } }));
    act(() => live.next(codeError('INTERNAL', 'subscriptions are not enabled')));
    act(() => live.complete());
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByRole('dialog', { name: 'Contact information required' })).toBeInTheDocument();
  });

  it('shows READ_ONLY members the form read-only and lists the administrators', async () => {
    const { client } = portal('READ_ONLY', emptyInfo(), ALL_SANDBOX_FIELDS);
    await renderApp(<AppRoutes />, { client, route });
    const dialog = await screen.findByRole('dialog', { name: 'Contact information required' });
    expect(await within(dialog).findByText('You have read-only access')).toBeInTheDocument();
    expect(within(dialog).getByRole('link', { name: 'ada@partner.example' })).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it('renders in Italian', async () => {
    const { client } = portal('ADMINISTRATOR', emptyInfo(), ALL_SANDBOX_FIELDS);
    await renderApp(<AppRoutes />, { client, route, language: 'it' });
    const dialog = await screen.findByRole('dialog', { name: 'Dati di contatto obbligatori' });
    expect(within(dialog).getByRole('tab', { name: 'Dati di contatto' })).toBeInTheDocument();
    expect(within(dialog).getByRole('tab', { name: 'Utenti' })).toBeInTheDocument();
    expect(await within(dialog).findByRole('link', { name: 'Contatta l’assistenza' })).toBeInTheDocument();
    expect(await within(dialog).findByRole('link', { name: 'Guida di riferimento' })).toBeInTheDocument();
    expect(await within(dialog).findByRole('heading', { name: 'Contatti tecnici di emergenza' })).toBeInTheDocument();
    expect(within(dialog).getByText('Consigliato: fornisci un alias di pagina (pager).')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Salva' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('it');
  });

  it('is not shown once the gate is unlocked', async () => {
    const { client } = portal('ADMINISTRATOR', almostComplete, []);
    await renderApp(<AppRoutes />, { client, route });
    expect(await screen.findByRole('heading', { name: 'Demo Partner' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('AppDialog', () => {
  it('closes on Escape only when it is dismissible (control for the test above)', async () => {
    const user = userEvent.setup();
    const { client } = mockClient({});
    await renderApp(<Dismissible />, { client });
    expect(screen.getByRole('dialog', { name: 'Dismissible' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Dismissible' })).toBeNull());
  });
});
