import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/render';
import { codeError, mockClient } from '../../test/mock-client';
import { AppRoutes } from '../../app/app-routes';

describe('SignInPage', () => {
  it('says so when the email or password is wrong', async () => {
    const user = userEvent.setup();
    const { client } = mockClient({
      Me: () => ({ data: { me: null } }),
      SignIn: () => codeError('UNAUTHENTICATED', 'invalid credentials'),
    });
    await renderApp(<AppRoutes />, { client, route: '/sign-in' });
    await user.type(await screen.findByRole('textbox', { name: /Email/ }), 'ada@partner.example');
    await user.type(screen.getByLabelText(/Password/), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Wrong email or password.')).toBeInTheDocument();
  });

  it('records the language of the page for the person’s mails after signing in', async () => {
    const user = userEvent.setup();
    const { client, calls } = mockClient({
      Me: () => ({ data: { me: null } }),
      SignIn: () => ({ data: { signIn: { staff: false, user: { id: 'u-ada' } } } }),
      SetLanguage: () => codeError('INTERNAL'),
    });
    await renderApp(<AppRoutes />, { client, route: '/sign-in', language: 'it' });
    await user.type(await screen.findByRole('textbox', { name: /Email/ }), 'ada@partner.example');
    await user.type(screen.getByLabelText(/Password/), 'right-password');
    await user.click(screen.getByRole('button', { name: 'Accedi' }));
    await waitFor(() => expect(calls.filter((c) => c.name === 'SetLanguage').map((c) => c.variables)).toEqual([{ language: 'it' }]));
  });

  it('sends signed-out visitors of the portal to the sign-in page', async () => {
    const { client } = mockClient({ Me: () => ({ data: { me: null } }) });
    await renderApp(<AppRoutes />, { client, route: '/accounts/acc-1/contact-info?env=production' });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('renders in Italian', async () => {
    const { client } = mockClient({ Me: () => ({ data: { me: null } }) });
    await renderApp(<AppRoutes />, { client, route: '/sign-in', language: 'it' });
    expect(await screen.findByRole('heading', { name: 'Accedi' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Accedi' })).toBeInTheDocument();
  });
});
