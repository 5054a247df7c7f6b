import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/render';
import { mockClient } from '../../test/mock-client';
import { users } from '../../test/fixtures';
import { AppRoutes } from '../../app/app-routes';

// Two accounts with the same name: the invitation's account id decides where the person lands.
const memberships = [
  { role: 'ADMINISTRATOR' as const, account: { id: 'acc-other', name: 'Twin Partner' } },
  { role: 'EDITOR' as const, account: { id: 'acc-invited', name: 'Twin Partner' } },
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
});
