import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATALOGUES, checkA11y, fmt, gql, invitationLink, launch, mailTo, newContext, type Problems, shot, signInByApi, visible } from './support';

// Issue 13: contacts you can trust. Chips with their tooltip, the verify page (confirm, "not me", an
// invalid link), the banner for unreachable contacts, resend and test messages, in English and Italian.
const baseUrl = inject('baseUrl');
const mailpitUrl = inject('mailpitUrl');
const staff = inject('staff');
const run = Date.now().toString(36);

let browser: Browser;
const problems: Problems = [];
let staffContext: BrowserContext;
let staffPage: Page;


/** The verification link of the newest mail to `to`. */
async function verifyLink(to: string): Promise<string> {
  const mail = await mailTo(mailpitUrl, to);
  const match = /https?:\/\/[^\s"'<>]+\/verify-contact\?token=[^\s"'<>&]+/.exec(`${mail.text}\n${mail.html}`);
  if (!match) throw new Error(`no verification link in the mail to ${to}:\n${mail.text}`);
  return match[0];
}

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

for (const lang of ['en', 'it'] as const) {
  const t = CATALOGUES[lang];
  describe.sequential(`reachability (${lang})`, () => {
    it('chips, the verify page, the banner, resend and test messages', { timeout: 300_000 }, async () => {
      const tag = `${lang}-${run}`;
      const admin = `reach-admin-${tag}@partner.example`;
      const pager = `reach-pager-${tag}@partner.example`;
      const tech = `reach-tech-${tag}@partner.example`;
      const ops = `reach-ops-${tag}@partner.example`;
      const help = `reach-help-${tag}@partner.example`;
      const created = await gql<{ createAccount: { id: string } }>(
        staffPage,
        'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
        { input: { name: `Reach ${tag}`, integrationTypes: ['RESERVATIONS_E2E'], administratorEmail: admin } },
      );
      const accountId = created.createAccount.id;
      const token = new URL(invitationLink(await mailTo(mailpitUrl, admin))).searchParams.get('token') ?? '';
      const context = await newContext(browser, problems, { locale: lang === 'it' ? 'it-IT' : 'en-US' });
      await context.addInitScript((l) => {
        if (location.protocol.startsWith('http')) localStorage.setItem('contactgate.language', l);
      }, lang);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/sign-in`);
      await gql(page, 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { staff } }', {
        input: { token, name: `Reach Admin ${lang}`, password: 'reach-password-123' },
      });
      // As the app does after a sign-in: the person's language is their mails' (and those their saves send).
      await gql(page, 'mutation($l: String!) { setLanguage(language: $l) { staff } }', { l: lang });
      await gql(page, 'mutation($input: UpdateContactInfoInput!) { updateContactInfo(input: $input) { account { id } } }', {
        input: {
          accountId,
          environment: 'SANDBOX',
          technicalEmergency: [{ email: pager }],
          technicalNonEmergency: [{ email: tech }],
          merchantIssues: [{ email: `reach-merchants-${tag}@partner.example` }],
          operationalForGoogle: [{ email: ops }],
          operationalForUsers: { email: help },
          operationalSupport: { alwaysOpen: true, windows: [] },
        },
      });

      // Every new address carries its state as a chip, in the form and in the list; the tooltip says since when.
      await page.goto(`${baseUrl}/accounts/${accountId}/contact-info?env=sandbox`);
      const form = page.getByRole('form', { name: t.contactInfo.formLabel });
      await visible(form.getByText(t.reach.state.UNVERIFIED), 45_000);
      const list = page.locator('table').filter({ hasText: t.reach.colLastTest });
      const pagerRow = list.locator('tr').filter({ hasText: pager });
      await visible(pagerRow.getByText(t.reach.state.UNVERIFIED));
      await pagerRow.getByText(t.reach.state.UNVERIFIED).hover();
      const tooltip = page.getByRole('tooltip');
      await visible(tooltip);
      expect(await tooltip.textContent()).toContain(t.reach.tip.UNVERIFIED.split('{{')[0].trim());
      await shot(page, `reach-chips-${lang}`, true);
      await page.mouse.move(0, 0);
      await checkA11y(page, 'the contact info page with reachability chips');

      // The owner of the pager address confirms on the page its mail links to (a button, not the link).
      const visitor = await newContext(browser, problems, { locale: lang === 'it' ? 'it-IT' : 'en-US' });
      await visitor.addInitScript((l) => {
        if (location.protocol.startsWith('http')) localStorage.setItem('contactgate.language', l);
      }, lang);
      const owner = await visitor.newPage();
      const pagerLink = await verifyLink(pager);
      await owner.goto(pagerLink);
      await visible(owner.getByRole('heading', { name: t.verify.title }));
      await visible(owner.getByText(`Reach ${tag}`, { exact: false }));
      await checkA11y(owner, 'the verify page');
      await shot(owner, `reach-verify-${lang}`);
      await owner.getByRole('button', { name: t.verify.confirm }).click();
      await visible(owner.getByRole('heading', { name: t.verify.confirmedTitle }));

      // The open portal hears it on the live channel: the chip turns Verified without a reload.
      await visible(pagerRow.getByText(t.reach.state.VERIFIED), 20_000);

      // The same link again: the one invalid-link page.
      await owner.goto(pagerLink);
      await visible(owner.getByRole('heading', { name: t.verify.invalidTitle }));
      await checkA11y(owner, 'the invalid-link page');
      await shot(owner, `reach-invalid-${lang}`);

      // The owner of the operational address says "this is not me": the banner counts it and links to the field.
      await owner.goto(await verifyLink(ops));
      await owner.getByRole('button', { name: t.verify.notMe }).click();
      await visible(owner.getByRole('heading', { name: t.verify.disputedTitle }));
      const banner = page.getByTestId('reachability-banner');
      await visible(banner, 20_000);
      expect(await banner.textContent()).toContain(fmt(t.reach.banner_one, { count: 1 }));
      await visible(list.locator('tr').filter({ hasText: ops }).getByText(t.reach.state.DISPUTED));
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, `reach-banner-${lang}`);
      await checkA11y(page, 'the portal with the unreachable-contacts banner');
      await banner.getByRole('link', { name: t.fields.OPERATIONAL_FOR_GOOGLE.label }).click();
      await page.waitForURL(/contact-info#/);

      // Resend a verification; send a test message to a field from its section of the form.
      await list.getByRole('button', { name: fmt(t.reach.resendTo, { email: tech }) }).click();
      await visible(page.getByText(fmt(t.reach.resent, { email: tech })));
      await form.getByRole('button', { name: fmt(t.reach.sendTestFor, { field: t.fields.TECHNICAL_EMERGENCY.label }) }).click();
      await visible(page.getByText(fmt(t.reach.testSent_one, { count: 1 })));
      const test = await mailTo(mailpitUrl, pager);
      expect(test.subject).toContain(lang === 'it' ? 'Messaggio di prova' : 'Test message');
      await visible(pagerRow.getByText(new RegExp(`${t.reach.testStatus.QUEUED}|${t.reach.testStatus.ACCEPTED}`)), 20_000);
      await shot(page, `reach-test-${lang}`, true);

      expect(problems).toEqual([]);
      await visitor.close();
      await context.close();
    });
  });
}
