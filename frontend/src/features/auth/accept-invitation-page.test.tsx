import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/render';
import { codeError, mockClient } from '../../test/mock-client';
import type { Me } from '../../lib/me-context';
import { users } from '../../test/fixtures';
import { AppRoutes } from '../../app/app-routes';

// Two accounts with the same name: the invitation's account id decides where the person lands.
const memberships = [
  { __typename: 'Member' as const, role: 'ADMINISTRATOR' as const, account: { __typename: 'Account' as const, id: 'acc-other', name: 'Twin Partner' } },
  { __typename: 'Member' as const, role: 'EDITOR' as const, account: { __typename: 'Account' as const, id: 'acc-invited', name: 'Twin Partner' } },
];

describe('AcceptInvitationPage', () => {
  it('goes to the invited account, picked by id, and records the page language', async () => {
    const user = userEvent.setup();
    const me = { staff: false, user: users.bob, memberships };
    const { client, calls } = mockClient({
      InvitationPreview: () => ({
        data: {
          invitation: {
            email: users.bob.email,
            accountId: 'acc-invited',
            accountName: 'Twin Partner',
            role: 'EDITOR',
            expiresAt: '2026-12-01T00:00:00Z',
            existingUser: false,
          },
        },
      }),
      AcceptInvitation: () => ({ data: { acceptInvitation: me } }),
      SetLanguage: ({ language }) => ({ data: { setLanguage: { user: { ...users.bob, language } } } }),
      Me: () => ({ data: { me } }),
    });
    await renderApp(<AppRoutes />, { client, route: '/invitations/accept?token=tok-1', language: 'it' });
    await user.type(await screen.findByRole('textbox', { name: /Il tuo nome/ }), 'Bob Editor');
    await user.type(screen.getByLabelText(/Scegli una password/), 'a-long-password');
    await user.type(screen.getByLabelText(/Ripeti la password/), 'a-long-password');
    await user.click(screen.getByRole('button', { name: 'Accetta e continua' }));

    await waitFor(() => expect(calls.some((c) => c.name === 'PortalShell')).toBe(true));
    expect(calls.find((c) => c.name === 'PortalShell')?.variables).toEqual({ accountId: 'acc-invited' });
    expect(calls.find((c) => c.name === 'SetLanguage')?.variables).toEqual({ language: 'it' });
    expect(calls.find((c) => c.name === 'AcceptInvitation')?.variables).toEqual({
      input: { token: 'tok-1', name: 'Bob Editor', password: 'a-long-password' },
    });
  });

  // The email already has a user: the link is no password. The person signs in as that user, then confirms.
  it('asks an existing user to sign in, then to confirm joining', async () => {
    const user = userEvent.setup();
    const bob: Me = { __typename: 'Me', staff: false, user: users.bob, memberships };
    let current: Me | null = null;
    const { client, calls } = mockClient({
      InvitationPreview: () => ({ data: { invitation: existingInvitation } }),
      Me: () => ({ data: { me: current } }),
      SignIn: ({ password }) => {
        if (password !== 'the-right-password') return codeError('UNAUTHENTICATED', 'wrong email or password');
        current = { ...bob, memberships: memberships.slice(0, 1) };
        return { data: { signIn: { staff: false, user: { id: users.bob.id } } } };
      },
      AcceptInvitation: () => ({ data: { acceptInvitation: bob } }),
      SetLanguage: ({ language }) => ({ data: { setLanguage: { user: { ...users.bob, language } } } }),
    });
    await renderApp(<AppRoutes />, { client, route: '/invitations/accept?token=tok-2' });

    expect(await screen.findByText(/already has a ContactGate user/)).toBeInTheDocument();
    // No new name or password to choose: only this user's password.
    expect(screen.queryByLabelText(/Choose a password/)).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: /Your name/ })).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Email/ })).toHaveValue(users.bob.email);

    await user.type(screen.getByLabelText(/Your password/), 'a-wrong-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Wrong password.')).toBeInTheDocument();

    await user.clear(screen.getByLabelText(/Your password/));
    await user.type(screen.getByLabelText(/Your password/), 'the-right-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(calls.filter((c) => c.name === 'SignIn').map((c) => c.variables)).toContainEqual({
      email: users.bob.email,
      password: 'the-right-password',
    });
    // Signing in joins nothing by itself: the person confirms.
    expect(await screen.findByText(`You are signed in as ${users.bob.email}.`)).toBeInTheDocument();
    expect(calls.some((c) => c.name === 'AcceptInvitation')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Join Twin Partner' }));
    await waitFor(() => expect(calls.some((c) => c.name === 'PortalShell')).toBe(true));
    expect(calls.find((c) => c.name === 'AcceptInvitation')?.variables).toEqual({ input: { token: 'tok-2' } });
    expect(calls.find((c) => c.name === 'PortalShell')?.variables).toEqual({ accountId: 'acc-invited' });
  });

  it('tells a person signed in as somebody else to sign out first', async () => {
    const user = userEvent.setup();
    let current: Me | null = { __typename: 'Me', staff: false, user: users.ada, memberships: [] };
    const { client, calls } = mockClient({
      InvitationPreview: () => ({ data: { invitation: existingInvitation } }),
      Me: () => ({ data: { me: current } }),
      SignOut: () => {
        current = null;
        return { data: { signOut: true } };
      },
    });
    await renderApp(<AppRoutes />, { client, route: '/invitations/accept?token=tok-3', language: 'it' });

    expect(
      await screen.findByText(
        `Hai eseguito l’accesso come ${users.ada.email}, ma questo invito è per ${users.bob.email}. Esci, poi accedi come ${users.bob.email} per accettarlo.`,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Entra in/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Esci' }));
    // Signed out, the page now asks for the invited user's password.
    expect(await screen.findByLabelText(/La tua password/)).toBeInTheDocument();
    expect(calls.some((c) => c.name === 'SignOut')).toBe(true);
    expect(calls.some((c) => c.name === 'AcceptInvitation')).toBe(false);
  });

  it('says in the password help that common and blank passwords are refused', async () => {
    const { client } = mockClient({
      InvitationPreview: () => ({ data: { invitation: { ...existingInvitation, existingUser: false } } }),
    });
    await renderApp(<AppRoutes />, { client, route: '/invitations/accept?token=tok-4', language: 'it' });
    expect(await screen.findByText('Almeno 10 caratteri, non solo spazi e non una password comune come «password123».')).toBeInTheDocument();
  });
});

const existingInvitation = {
  email: users.bob.email,
  accountId: 'acc-invited',
  accountName: 'Twin Partner',
  role: 'EDITOR' as const,
  expiresAt: '2026-12-01T00:00:00Z',
  existingUser: true,
};
