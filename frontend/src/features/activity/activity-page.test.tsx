import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/render';
import { mockClient } from '../../test/mock-client';
import { ACCOUNT_ID, makeMe, users } from '../../test/fixtures';
import { ActivityPage } from './activity-page';

function event(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    at: '2026-11-26T10:00:00Z',
    action: 'SIGN_IN',
    principal: 'SESSION',
    actor: users.ada,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    target: { kind: 'USER', id: users.ada.id, label: users.ada.email },
    before: null,
    after: null,
    ...over,
  };
}

function page(nodes: ReturnType<typeof event>[], hasNextPage: boolean, totalCount: number) {
  return {
    data: {
      account: {
        id: ACCOUNT_ID,
        auditLog: {
          totalCount,
          pageInfo: { hasNextPage, endCursor: nodes[nodes.length - 1]?.id ?? null },
          edges: nodes.map((node) => ({ cursor: node.id, node })),
        },
      },
    },
  };
}

const route = { route: `/accounts/${ACCOUNT_ID}/activity`, path: '/accounts/:accountId/activity' };

describe('ActivityPage', () => {
  it('lists events with actor, translated action, target, IP and details, and pages on', async () => {
    const user = userEvent.setup();
    const { client, calls } = mockClient({
      AuditEvents: (v) =>
        v.after
          ? page([event('e3', { action: 'API_TOKEN_FIRST_USED', principal: 'API_TOKEN', actor: null, target: { kind: 'API_TOKEN', id: 't1', label: 'deploy bot' }, after: 'READ_WRITE' })], false, 3)
          : page(
              [
                event('e1', { action: 'MEMBER_ROLE_CHANGED', target: { kind: 'USER', id: users.bob.id, label: users.bob.email }, before: 'EDITOR', after: 'ADMINISTRATOR' }),
                event('e2', { action: 'SIGN_IN_FAILED', principal: 'ANONYMOUS', actor: null, userAgent: null }),
              ],
              true,
              3,
            ),
    });
    await renderApp(<ActivityPage />, { client, me: makeMe('ADMINISTRATOR'), ...route });
    const table = await screen.findByRole('table', { name: 'Security events, newest first' });
    expect(await within(table).findByText('3 events')).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: 'IP address' })).toBeInTheDocument();
    const roleRow = within(table).getByText('Role changed').closest('tr') as HTMLElement;
    expect(within(roleRow).getByText('Ada Admin')).toBeInTheDocument();
    expect(within(roleRow).getByText('ada@partner.example · Signed in')).toBeInTheDocument();
    expect(within(roleRow).getByText('bob@partner.example')).toBeInTheDocument();
    expect(within(roleRow).getByText('Editor → Administrator')).toBeInTheDocument();
    expect(within(roleRow).getByText('203.0.113.7')).toBeInTheDocument();
    expect(within(roleRow).getByText('Client: Mozilla/5.0 (X11; Linux x86_64)')).toBeInTheDocument();
    const failedRow = within(table).getByText('Failed sign-in (wrong password)').closest('tr') as HTMLElement;
    expect(within(failedRow).getByText('Someone not signed in')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Show older events' }));
    expect(await within(table).findByText('API token used for the first time')).toBeInTheDocument();
    expect(within(table).getByText('deploy bot')).toBeInTheDocument();
    expect(within(table).getByText('Read and write')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show older events' })).not.toBeInTheDocument();
    // cache-and-network may ask twice per page; only these two pages are asked for.
    expect([...new Set(calls.filter((c) => c.name === 'AuditEvents').map((c) => c.variables.after ?? null))]).toEqual([null, 'e2']);
  });

  it('speaks Italian', async () => {
    const { client } = mockClient({ AuditEvents: () => page([event('e1')], false, 1) });
    await renderApp(<ActivityPage />, { client, me: makeMe('ADMINISTRATOR'), language: 'it', ...route });
    expect(await screen.findByRole('heading', { name: 'Attività' })).toBeInTheDocument();
    expect(await screen.findByText('Accesso eseguito')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Indirizzo IP' })).toBeInTheDocument();
  });

  it('tells editors that only administrators see it, without asking the server', async () => {
    const { client, calls } = mockClient({});
    await renderApp(<ActivityPage />, { client, me: makeMe('EDITOR'), ...route });
    expect(await screen.findByText('Only administrators can see the activity of this account.')).toBeInTheDocument();
    expect(calls).toEqual([]);
  });
});
