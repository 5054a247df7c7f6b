import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { renderApp } from '../../test/render';
import { mockClient } from '../../test/mock-client';
import { ContactWarnings, warningField } from './contact-warnings';

describe('quality warnings', () => {
  it('maps a warning path to its field', () => {
    expect(warningField('technicalEmergency[0].email')).toBe('TECHNICAL_EMERGENCY');
    expect(warningField('operationalForUsers.email')).toBe('OPERATIONAL_FOR_USERS');
    expect(warningField('technicalEmergency')).toBe('TECHNICAL_EMERGENCY');
    expect(warningField(null)).toBeUndefined();
  });

  it('lists each warning with its field and a translated reason, in Italian too', async () => {
    const warnings = [
      { field: 'technicalNonEmergency[0].email', code: 'FREE_MAIL_DOMAIN' as const, message: 'English message' },
      { field: null, code: 'REVIEW_DUE' as const, message: 'due' },
    ];
    const info = { technicalNonEmergency: [{ email: 'mario@gmail.com' }] };
    const { unmount } = await renderApp(<ContactWarnings warnings={warnings} info={info} />, { client: mockClient({}).client });
    const box = screen.getByTestId('contact-warnings');
    expect(within(box).getByText('2 suggestions to make your contacts more reliable')).toBeInTheDocument();
    expect(within(box).getByRole('link', { name: 'Technical non-emergency contacts' })).toHaveAttribute('href', '#field-technical-non-emergency');
    expect(box).toHaveTextContent('mario@gmail.com is a personal mailbox at a consumer mail provider');
    unmount();

    await renderApp(<ContactWarnings warnings={warnings} info={info} />, { client: mockClient({}).client, language: 'it' });
    const italian = screen.getByTestId('contact-warnings');
    expect(italian).toHaveTextContent('mario@gmail.com è una casella personale presso un provider di posta gratuito');
    expect(italian).not.toHaveTextContent('English message');
  });

  it('shows nothing without warnings', async () => {
    await renderApp(<ContactWarnings warnings={[]} />, { client: mockClient({}).client });
    expect(screen.queryByTestId('contact-warnings')).toBeNull();
  });
});
