import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/render';
import { codeError, mockClient, validationError, type Handler } from '../../test/mock-client';
import { ACCOUNT_ID, ALL_SANDBOX_FIELDS, emptyInfo, gate, members, users } from '../../test/fixtures';
import type { ContactField, ContactInfoFieldsFragment } from '../../gql/graphql';
import { ContactInfoForm, type ContactInfoFormProps } from './contact-info-form';

function savedPayload(info: ContactInfoFieldsFragment, missing: ContactField[]) {
  return { data: { updateContactInfo: { account: { id: ACCOUNT_ID, accessGate: gate('SANDBOX', missing), contactInfo: info } } } };
}

async function renderForm(props: Partial<ContactInfoFormProps> = {}, handlers: Record<string, Handler> = {}, language: 'en' | 'it' = 'en') {
  const { client, calls } = mockClient(handlers);
  const view = await renderApp(
    <ContactInfoForm
      accountId={ACCOUNT_ID}
      environment="SANDBOX"
      info={emptyInfo()}
      members={members}
      missing={ALL_SANDBOX_FIELDS}
      readOnly={false}
      variant="page"
      {...props}
    />,
    { client, language },
  );
  return { ...view, calls };
}

const row = (field: string, n: number) => screen.getByRole('group', { name: `Contact ${n} of ${field}` });
const emailIn = (group: HTMLElement) => within(group).getByRole('textbox', { name: /Email/ });

describe('ContactInfoForm', () => {
  it('shows every field with its purpose and the pager-alias hint', async () => {
    await renderForm();
    // In the help page's order, alert contacts first even in Sandbox.
    const order = [
      'Alert contacts',
      'Technical emergency contacts',
      'Technical non-emergency contacts',
      'Operational contact for merchant issues',
      'Operational contact (for Google)',
      'Operational contact (shared with users)',
      'Operational support',
    ];
    const headings = screen.getAllByRole('heading').map((h) => h.textContent ?? '');
    expect(order.map((name) => headings.findIndex((h) => h.startsWith(name)))).toEqual(
      order.map((_, i) => headings.findIndex((h) => h.startsWith(order[0])) + i),
    );
    expect(screen.getByText('We recommend a pager alias.')).toBeInTheDocument();
    expect(screen.getByText(/Contacts notified in an emergency/)).toBeInTheDocument();
    // Alert contacts are chosen only in Production.
    expect(screen.getByText(/Switch to Production here/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Switch to Production' })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: /Alert contacts/ })).toBeNull();
  });

  it('hides the merchant field where the integration types do not carry it', async () => {
    await renderForm({ info: emptyInfo({ merchantIssuesRequirement: 'UNAVAILABLE' }) });
    expect(screen.queryByRole('heading', { name: 'Operational contact for merchant issues' })).toBeNull();
  });

  it('shows validation messages and does not send an invalid form', async () => {
    const user = userEvent.setup();
    const { calls } = await renderForm();
    await user.type(emailIn(row('Technical emergency contacts', 1)), 'not-an-email');
    await user.type(emailIn(row('Technical non-emergency contacts', 1)), 'dev@partner.example');
    await user.click(screen.getAllByRole('button', { name: 'Add contact' })[1]);
    await user.type(emailIn(row('Technical non-emergency contacts', 2)), 'DEV@partner.example');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Enter a valid email address, e.g. oncall@example.com.')).toBeInTheDocument();
    expect(screen.getByText('This email is already in the list.')).toBeInTheDocument();
    expect(emailIn(row('Technical emergency contacts', 1))).toHaveAttribute('aria-invalid', 'true');
    expect(emailIn(row('Technical non-emergency contacts', 2))).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Please correct the 2 highlighted fields.')).toBeInTheDocument();
    expect(calls.filter((c) => c.name === 'UpdateContactInfo')).toHaveLength(0);
    // Fixing the mistake clears its message.
    await user.clear(emailIn(row('Technical emergency contacts', 1)));
    await user.type(emailIn(row('Technical emergency contacts', 1)), 'oncall@partner.example');
    await waitFor(() => expect(screen.queryByText('Enter a valid email address, e.g. oncall@example.com.')).toBeNull());
  });

  it('maps server VALIDATION_FAILED paths onto the right inputs (skipping blank rows)', async () => {
    const user = userEvent.setup();
    const { calls } = await renderForm(
      {},
      {
        UpdateContactInfo: () =>
          validationError([
            { field: 'technicalEmergency[1].email', message: 'The domain bad.example does not accept mail.' },
            { field: 'operationalForUsers.phone', message: 'Not a phone number in Italy.' },
          ]),
      },
    );
    const field = 'Technical emergency contacts';
    await user.type(emailIn(row(field, 1)), 'oncall@partner.example');
    await user.click(screen.getAllByRole('button', { name: 'Add contact' })[0]);
    await user.click(screen.getAllByRole('button', { name: 'Add contact' })[0]);
    await user.type(emailIn(row(field, 3)), 'pager@bad.example');
    const shared = screen.getByRole('group', { name: 'Operational contact (shared with users)' });
    await user.type(within(shared).getByRole('textbox', { name: /Email/ }), 'help@partner.example');
    await user.type(within(shared).getByRole('textbox', { name: /Phone/ }), '+39 06 1234 5678');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const message = await screen.findByText('The domain bad.example does not accept mail.');
    expect(emailIn(row(field, 3))).toHaveAttribute('aria-invalid', 'true');
    expect(emailIn(row(field, 3))).toHaveAccessibleDescription('The domain bad.example does not accept mail.');
    expect(emailIn(row(field, 1))).toHaveAttribute('aria-invalid', 'false');
    expect(message).toBeVisible();
    expect(within(shared).getByRole('textbox', { name: /Phone/ })).toHaveAccessibleDescription('Not a phone number in Italy.');
    expect(screen.getByText('The server refused some values. Check the highlighted fields.')).toBeInTheDocument();

    const sent = calls.find((c) => c.name === 'UpdateContactInfo')?.variables.input as Record<string, unknown>;
    expect(sent.technicalEmergency).toEqual([{ email: 'oncall@partner.example' }, { email: 'pager@bad.example' }]);
    expect(sent.expectedVersion).toBe(1);
    expect(sent.environment).toBe('SANDBOX');
    expect(sent).not.toHaveProperty('alertContactUserIds');
    expect(sent).not.toHaveProperty('technicalNonEmergency');
  });

  it('saves a partial form and says what is still missing', async () => {
    const user = userEvent.setup();
    const saved = emptyInfo({ version: 2, technicalEmergency: [{ __typename: 'Contact', name: null, email: 'oncall@partner.example', phone: null }] });
    const { calls } = await renderForm({}, { UpdateContactInfo: () => savedPayload(saved, ALL_SANDBOX_FIELDS.slice(1)) });
    await user.type(emailIn(row('Technical emergency contacts', 1)), 'oncall@partner.example');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved. 5 required fields are still missing.')).toBeInTheDocument();
    expect(emailIn(row('Technical emergency contacts', 1))).toHaveValue('oncall@partner.example');
    expect(calls.filter((c) => c.name === 'UpdateContactInfo')).toHaveLength(1);
  });

  it('handles CONFLICT: shows their version and re-applies mine on top', async () => {
    const user = userEvent.setup();
    const theirs = emptyInfo({
      version: 2,
      technicalEmergency: [{ __typename: 'Contact', name: 'Their pager', email: 'their-pager@partner.example', phone: null }],
      updatedBy: users.bob,
      updatedAt: '2026-03-01T09:30:00Z',
    });
    let attempt = 0;
    const { calls } = await renderForm(
      {},
      {
        UpdateContactInfo: () => {
          attempt++;
          return attempt === 1
            ? codeError('CONFLICT', 'contact info changed since version 1')
            : savedPayload({ ...theirs, version: 3, technicalEmergency: [{ __typename: 'Contact', name: null, email: 'mine@partner.example', phone: null }] }, []);
        },
        ContactInfoLatest: () => ({ data: { account: { id: ACCOUNT_ID, contactInfo: theirs } } }),
      },
    );
    await user.type(emailIn(row('Technical emergency contacts', 1)), 'mine@partner.example');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const dialog = await screen.findByRole('dialog', { name: 'Someone else saved the contact information' });
    expect(within(dialog).getByText(/Saved by Bob Editor/)).toBeInTheDocument();
    expect(within(dialog).getByText('Their pager <their-pager@partner.example>')).toBeInTheDocument();
    expect(within(dialog).getByText('<mine@partner.example>')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Re-apply my changes' }));

    await waitFor(() => expect(calls.filter((c) => c.name === 'UpdateContactInfo')).toHaveLength(2));
    const second = calls.filter((c) => c.name === 'UpdateContactInfo')[1].variables.input as Record<string, unknown>;
    expect(second.expectedVersion).toBe(2);
    expect(second.technicalEmergency).toEqual([{ email: 'mine@partner.example' }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('is read-only for READ_ONLY members, who are told to ask an administrator', async () => {
    await renderForm({
      readOnly: true,
      readOnlyReason: 'member',
      info: emptyInfo({ technicalEmergency: [{ __typename: 'Contact', name: 'Pager', email: 'pager@partner.example', phone: '+390612345678' }] }),
    });
    expect(screen.getByText('You have read-only access')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'ada@partner.example' })).toHaveAttribute('href', 'mailto:ada@partner.example');
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add contact' })).toBeNull();
    // Read as text and links, not as disabled inputs.
    const contact = row('Technical emergency contacts', 1);
    expect(within(contact).queryByRole('textbox')).toBeNull();
    expect(within(contact).getByText('Pager')).toBeInTheDocument();
    expect(within(contact).getByRole('link', { name: 'pager@partner.example' })).toHaveAttribute('href', 'mailto:pager@partner.example');
    expect(within(contact).getByRole('link', { name: '+39 06 1234 5678' })).toHaveAttribute('href', 'tel:+390612345678');
  });

  it('offers alert contacts among the members in Production', async () => {
    const user = userEvent.setup();
    const { calls } = await renderForm(
      { environment: 'PRODUCTION', missing: ['ALERT_CONTACTS'] },
      { UpdateContactInfo: () => savedPayload(emptyInfo({ version: 2, alertContacts: [users.bob] }), []) },
    );
    const combo = screen.getByRole('combobox', { name: 'Alert contacts' });
    await user.click(combo);
    await user.click(await screen.findByRole('option', { name: 'Bob Editor (bob@partner.example)' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved. All required contact information is complete.');
    const input = calls.find((c) => c.name === 'UpdateContactInfo')?.variables.input as Record<string, unknown>;
    expect(input.alertContactUserIds).toEqual(['u-bob']);
    expect(input.environment).toBe('PRODUCTION');
  });

  it('translates a server problem by its code (Italian), and an unknown code to the generic Italian text, never the server words', async () => {
    const user = userEvent.setup();
    await renderForm(
      {},
      {
        UpdateContactInfo: () =>
          validationError([
            { field: 'operationalForUsers.phone', message: 'include the country code, e.g. +39 06 1234 5678', code: 'PHONE_NEEDS_COUNTRY_CODE' },
            { field: 'operationalForUsers.email', message: 'a brand-new server rule', code: 'SOME_FUTURE_CODE' },
          ]),
      },
      'it',
    );
    const shared = screen.getByRole('group', { name: 'Contatto operativo (da condividere con gli utenti)' });
    await user.type(within(shared).getByRole('textbox', { name: /Email/ }), 'help@partner.example');
    await user.type(within(shared).getByRole('textbox', { name: /Telefono/ }), '+39 06 1234 5678');
    await user.click(screen.getByRole('button', { name: 'Salva' }));

    const phone = within(shared).getByRole('textbox', { name: /Telefono/ });
    await waitFor(() => expect(phone).toHaveAttribute('aria-invalid', 'true'));
    expect(phone).toHaveAccessibleDescription('Includi il prefisso internazionale, ad esempio +39 06 1234 5678.');
    expect(within(shared).getByText('Includi il prefisso internazionale, ad esempio +39 06 1234 5678.')).toBeVisible();
    expect(screen.queryByText('include the country code, e.g. +39 06 1234 5678')).not.toBeInTheDocument();
    expect(within(shared).getByRole('textbox', { name: /Email/ })).toHaveAccessibleDescription('Questo valore non è stato accettato.');
    expect(screen.queryByText(/a brand-new server rule/)).not.toBeInTheDocument();
  });

  it('renders in Italian with the help page wording', async () => {
    const user = userEvent.setup();
    await renderForm({}, {}, 'it');
    expect(screen.getByRole('heading', { name: 'Contatti per gli avvisi' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Contatti tecnici di emergenza' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Contatti tecnici non di emergenza' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Contatto operativo (da condividere con gli utenti)' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Assistenza operativa' })).toBeInTheDocument();
    expect(screen.getByText(/Contatti che riceveranno una notifica in caso di emergenza/)).toBeInTheDocument();
    const first = screen.getByRole('group', { name: 'Contatto 1 di Contatti tecnici di emergenza' });
    await user.type(within(first).getByRole('textbox', { name: /Email/ }), 'sbagliato');
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findByText('Inserisci un indirizzo email valido, ad esempio reperibilita@example.com.')).toBeInTheDocument();
  });
});
