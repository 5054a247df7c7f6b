import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/render';
import { codeError, mockClient, validationError } from '../../test/mock-client';
import { ACCOUNT_ID, makeMe, usersPanel } from '../../test/fixtures';
import { UsersPanel } from './users-panel';

describe('UsersPanel', () => {
  it('shows the server guard when removing a member is refused', async () => {
    const user = userEvent.setup();
    const { client } = mockClient({
      UsersPanel: () => ({ data: usersPanel() }),
      RemoveMember: () => codeError('CONFLICT', 'Bob Editor is the only alert contact; choose another alert contact first.'),
    });
    await renderApp(<UsersPanel accountId={ACCOUNT_ID} />, { client, me: makeMe('ADMINISTRATOR') });
    await user.click(await screen.findByRole('button', { name: 'Remove Bob Editor' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Remove member?' });
    await user.click(within(confirm).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('Bob Editor is the only alert contact; choose another alert contact first.')).toBeInTheDocument();
  });

  it('explains a guard by its reason in the page language', async () => {
    const user = userEvent.setup();
    const { client } = mockClient({
      UsersPanel: () => ({ data: usersPanel() }),
      RemoveMember: () =>
        codeError('CONFLICT', 'this member is the only alert contact; choose another alert contact first', 'ONLY_ALERT_CONTACT'),
    });
    await renderApp(<UsersPanel accountId={ACCOUNT_ID} />, { client, me: makeMe('ADMINISTRATOR'), language: 'it' });
    await user.click(await screen.findByRole('button', { name: 'Rimuovi Bob Editor' }));
    const confirm = screen.getByRole('alertdialog');
    await user.click(within(confirm).getByRole('button', { name: 'Rimuovi' }));
    expect(
      await screen.findByText('Questo membro è l’unico contatto per gli avvisi: scegli prima un altro contatto per gli avvisi.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/choose another alert contact first/)).not.toBeInTheDocument();
  });

  it('invites by email and role, and maps a refused email onto the input', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const { client, calls } = mockClient({
      UsersPanel: () => ({ data: usersPanel() }),
      InviteUser: () => {
        attempt++;
        return attempt === 1
          ? validationError([{ field: 'email', message: 'This person is already a member.' }])
          : { data: { inviteUser: { id: 'inv-2', email: 'carla@partner.example', role: 'READ_ONLY', expiresAt: '2026-12-01T00:00:00Z', createdAt: '2026-11-24T00:00:00Z' } } };
      },
    });
    await renderApp(<UsersPanel accountId={ACCOUNT_ID} />, { client, me: makeMe('ADMINISTRATOR') });
    const email = await screen.findByRole('textbox', { name: /Email address/ });
    await user.type(email, 'bob@partner.example');
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText('This person is already a member.')).toBeInTheDocument();

    await user.clear(email);
    await user.type(email, 'carla@partner.example');
    await user.click(screen.getByRole('combobox', { name: 'Role' }));
    await user.click(await screen.findByRole('option', { name: 'Read only' }));
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText('Invitation sent to carla@partner.example.')).toBeInTheDocument();
    await waitFor(() =>
      expect(calls.filter((c) => c.name === 'InviteUser')[1].variables).toEqual({
        input: { accountId: ACCOUNT_ID, email: 'carla@partner.example', role: 'READ_ONLY' },
      }),
    );
  });

  it('disables, in place and with the reason, what the server would refuse', async () => {
    const { client, calls } = mockClient({ UsersPanel: () => ({ data: usersPanel([], ['u-bob']) }) });
    await renderApp(<UsersPanel accountId={ACCOUNT_ID} />, { client, me: makeMe('ADMINISTRATOR') });
    const remove = await screen.findByRole('button', { name: 'Remove Bob Editor' });
    expect(remove).toBeDisabled();
    expect(remove).toHaveAccessibleDescription('This member is the only alert contact: choose another alert contact first.');
    const ownRole = screen.getByRole('combobox', { name: 'Role of Ada Admin' });
    expect(ownRole).toHaveAttribute('aria-disabled', 'true');
    expect(ownRole).toHaveAccessibleDescription('You cannot change your own role: ask another administrator.');
    // Others stay possible: Read only's removal and role.
    expect(screen.getByRole('button', { name: 'Remove Rea Reader' })).toBeEnabled();
    expect(screen.getByRole('combobox', { name: 'Role of Bob Editor' })).not.toHaveAttribute('aria-disabled');
    expect(calls.filter((c) => c.name === 'RemoveMember')).toEqual([]);
  });

  it('lets non-administrators only read, naming the administrators', async () => {
    const { client } = mockClient({ UsersPanel: () => ({ data: usersPanel() }) });
    await renderApp(<UsersPanel accountId={ACCOUNT_ID} />, { client, me: makeMe('EDITOR') });
    expect(await screen.findByText(/Only administrators can invite people/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Invite' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
  });
});
