import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../test/render';
import { codeError, mockClient } from '../test/mock-client';
import { makeMe, users } from '../test/fixtures';
import { LanguageSwitch } from './language-switch';
import { mailLanguage } from '../lib/record-language';

describe('LanguageSwitch', () => {
  it('records a signed-in person’s new language for their mails', async () => {
    const user = userEvent.setup();
    const { client, calls } = mockClient({
      SetLanguage: ({ language }) => ({ data: { setLanguage: { user: { ...users.ada, language } } } }),
    });
    await renderApp(<LanguageSwitch />, { client, me: makeMe('ADMINISTRATOR') });
    await user.click(screen.getByRole('button', { name: 'Language: English' }));
    await user.click(screen.getByRole('menuitem', { name: 'Italiano' }));
    expect(await screen.findByRole('button', { name: 'Lingua: Italiano' })).toBeInTheDocument();
    await waitFor(() => expect(calls.filter((c) => c.name === 'SetLanguage').map((c) => c.variables)).toEqual([{ language: 'it' }]));

    // Choosing the language already shown sends nothing.
    await user.click(screen.getByRole('button', { name: 'Lingua: Italiano' }));
    await user.click(screen.getByRole('menuitem', { name: 'Italiano' }));
    expect(calls.filter((c) => c.name === 'SetLanguage')).toHaveLength(1);
  });

  it('switches the page even when the server refuses to record the language', async () => {
    const user = userEvent.setup();
    const { client, calls } = mockClient({ SetLanguage: () => codeError('INTERNAL') });
    await renderApp(<LanguageSwitch />, { client, me: makeMe('EDITOR') });
    await user.click(screen.getByRole('button', { name: 'Language: English' }));
    await user.click(screen.getByRole('menuitem', { name: 'Italiano' }));
    expect(await screen.findByRole('button', { name: 'Lingua: Italiano' })).toBeInTheDocument();
    await waitFor(() => expect(calls.filter((c) => c.name === 'SetLanguage')).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('only switches the page before sign-in', async () => {
    const user = userEvent.setup();
    const { client, calls } = mockClient({});
    await renderApp(<LanguageSwitch />, { client, me: null });
    await user.click(screen.getByRole('button', { name: 'Language: English' }));
    await user.click(screen.getByRole('menuitem', { name: 'Italiano' }));
    expect(await screen.findByRole('button', { name: 'Lingua: Italiano' })).toBeInTheDocument();
    expect(calls.filter((c) => c.name === 'SetLanguage')).toHaveLength(0);
  });

  it('maps UI languages to the server’s codes', () => {
    expect(mailLanguage('it')).toBe('it');
    expect(mailLanguage('it-IT')).toBe('it');
    expect(mailLanguage('en-US')).toBe('en');
    expect(mailLanguage(undefined)).toBe('en');
  });
});
