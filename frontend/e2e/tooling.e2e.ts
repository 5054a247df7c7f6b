import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATALOGUES, checkA11y, fmt, gone, gql, invitationLink, launch, mailTo, newContext, type Problems, shot, signInByApi, visible } from './support';

// Issue 16: partner tooling. The explorer under the real CSP, webhooks and tokens, in English and Italian.
const baseUrl = inject('baseUrl');
const mailpitUrl = inject('mailpitUrl');
const staff = inject('staff');
const run = Date.now().toString(36);

let browser: Browser;
const problems: Problems = [];
let staffContext: BrowserContext;
let staffPage: Page;


beforeAll(async () => {
  browser = await launch();
  staffContext = await newContext(browser, problems);
  staffPage = await staffContext.newPage();
  await signInByApi(staffPage, baseUrl, staff);
});
afterAll(async () => {
  await staffContext?.close();
  await browser?.close();
});

type Partner = { accountId: string; context: BrowserContext; page: Page };

let counter = 0;
/** A new account with its administrator signed in and the sandbox contact info complete. */
async function newPartner(lang: 'en' | 'it'): Promise<Partner> {
  counter++;
  const email = `tooling-${lang}-${counter}-${run}@partner.example`;
  const created = await gql<{ createAccount: { id: string } }>(
    staffPage,
    'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
    { input: { name: `Tooling ${lang.toUpperCase()} ${counter} ${run}`, integrationTypes: ['APPOINTMENTS_E2E'], administratorEmail: email } },
  );
  const token = new URL(invitationLink(await mailTo(mailpitUrl, email))).searchParams.get('token') ?? '';
  const context = await newContext(browser, problems, { locale: lang === 'it' ? 'it-IT' : 'en-US' });
  await context.addInitScript((l) => {
    if (location.protocol.startsWith('http')) localStorage.setItem('contactgate.language', l);
  }, lang);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/sign-in`);
  await gql(page, 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { staff } }', {
    input: { token, name: `Tooling Admin ${counter}`, password: 'tooling-password-123' },
  });
  const contact = { name: 'Ops', email: 'ops@partner.example', phone: '+390212345678' };
  await gql(page, 'mutation($input: UpdateContactInfoInput!) { updateContactInfo(input: $input) { account { id } } }', {
    input: {
      accountId: created.createAccount.id,
      environment: 'SANDBOX',
      technicalEmergency: [contact],
      technicalNonEmergency: [contact],
      merchantIssues: [contact],
      operationalForGoogle: [contact],
      operationalForUsers: contact,
      operationalSupport: { alwaysOpen: true, windows: [] },
    },
  });
  return { accountId: created.createAccount.id, context, page };
}

for (const lang of ['en', 'it'] as const) {
  const t = CATALOGUES[lang];
  describe.sequential(`tooling (${lang})`, () => {
    it('the explorer loads under the CSP and runs a query as the signed-in person', async () => {
      const p = await newPartner(lang);
      const { page } = p;
      await page.goto(`${baseUrl}/accounts/${p.accountId}/api-access/explorer`);
      await visible(page.getByRole('tab', { name: t.apiAccess.tabExplorer, selected: true }));
      await visible(page.getByText(t.explorer.asYou));
      // GraphiQL with Monaco, from the app's own origin.
      const explorer = page.getByTestId('graphiql');
      await visible(explorer.locator('.graphiql-query-editor .monaco-editor'), 30_000);
      await visible(explorer.getByText('query ReadGate'));
      await explorer.locator('.graphiql-execute-button').click();
      const response = explorer.locator('.graphiql-response');
      await visible(response.getByText('"locked"'));
      await visible(response.getByText('"missing"'));
      expect(await response.textContent()).not.toContain('errors');
      // The schema's docstrings are the documentation.
      await explorer.getByRole('button', { name: /documentation explorer/i }).click();
      await visible(explorer.getByText('Mutation'));
      await shot(page, `tooling-explorer-${lang}`);
      await checkA11y(page, 'the explorer (outside the GraphiQL widget)', ['[data-testid="graphiql"]']);
      await p.context.close();
    }, 180_000);

    it('webhooks: create shows the secret once; tokens show expiry and last use', async () => {
      const p = await newPartner(lang);
      const { page } = p;
      await page.goto(`${baseUrl}/accounts/${p.accountId}/api-access/webhooks`);
      await visible(page.getByRole('heading', { name: t.webhooks.createTitle }));
      await visible(page.getByText(t.webhooks.empty));
      await checkA11y(page, 'the webhooks page');
      await page.getByRole('textbox', { name: new RegExp(t.webhooks.url) }).fill('https://127.0.0.1:9/hooks');
      await page.getByRole('textbox', { name: t.webhooks.descriptionField }).fill('CRM sync');
      await page.getByRole('checkbox', { name: /member\.removed/ }).check();
      await page.getByRole('button', { name: t.webhooks.create }).click();
      const dialog = page.getByRole('dialog', { name: t.webhooks.secretTitle });
      await visible(dialog);
      const secret = await dialog.getByRole('textbox', { name: t.webhooks.secret }).inputValue();
      expect(secret).toMatch(/^whsec_/);
      await shot(page, `tooling-webhook-secret-${lang}`);
      await checkA11y(page, 'the webhook secret dialog');
      await dialog.getByRole('button', { name: t.apiAccess.secretDone }).click();
      await gone(dialog);
      const endpoint = page.getByRole('region', { name: 'https://127.0.0.1:9/hooks' });
      await visible(endpoint);
      await visible(endpoint.getByText('member.removed'));
      // Shown once: nowhere on the page any more.
      expect(await page.content()).not.toContain(secret);
      await endpoint.getByRole('button', { name: t.webhooks.sendTest }).click();
      await visible(page.getByText(t.webhooks.testSent));
      await visible(endpoint.getByText('webhook.test'));
      await shot(page, `tooling-webhooks-${lang}`, true);
      await checkA11y(page, 'the webhooks page with an endpoint');

      // Tokens: an expiring one, its expiry and (after a use) last use with the IP.
      await page.getByRole('tab', { name: t.apiAccess.tabTokens }).click();
      await page.getByRole('textbox', { name: new RegExp(t.apiAccess.name) }).fill('Nightly sync');
      await page.getByRole('button', { name: t.apiAccess.create }).click();
      const tokenDialog = page.getByRole('dialog', { name: fmt(t.apiAccess.secretTitle, { name: 'Nightly sync' }) });
      const token = await (await visible(tokenDialog.getByRole('textbox', { name: t.apiAccess.secret }))).first().inputValue();
      await tokenDialog.getByRole('button', { name: t.apiAccess.secretDone }).click();
      await gone(tokenDialog);
      const used = await page.evaluate(async (tok) => {
        const res = await fetch('/graphql/schema.graphqls', { headers: { Authorization: `Bearer ${tok}` }, credentials: 'omit' });
        return res.status;
      }, token);
      expect(used).toBe(200);
      await page.reload();
      await visible(page.getByText(new RegExp(fmt(t.apiAccess.fromIp, { ip: '127.0.0.1' }))));
      await visible(page.getByText(new RegExp(fmt(t.apiAccess.expires, { when: '' }).trim())));
      await shot(page, `tooling-tokens-${lang}`);
      await checkA11y(page, 'the tokens page');
      await p.context.close();
    }, 240_000);
  });
}

describe('no problems', () => {
  it('no console errors, page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
