import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATALOGUES, checkA11y, fmt, gone, gql, invitationLink, launch, mailTo, newContext, type Problems, shot, signInByApi, visible } from './support';

// Issue 14: contacts that stay current. On a server whose review cycle lasts seconds
// (REVIEW_INTERVAL=20s, REVIEW_GRACE=25s): inline warnings, the review mode that can be postponed,
// then blocks, and "Confirm, all still correct"; the staff dashboard's health chart. English and Italian.
const baseUrl = inject('reviewBaseUrl');
const mailpitUrl = inject('mailpitUrl');
const staff = inject('reviewStaff');
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

type Partner = { accountId: string; page: Page; context: BrowserContext };

async function newPartner(lang: 'en' | 'it'): Promise<Partner> {
  const email = `review-${lang}-${run}@partner.example`;
  const created = await gql<{ createAccount: { id: string } }>(
    staffPage,
    'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
    { input: { name: `Review ${lang.toUpperCase()} ${run}`, integrationTypes: ['BUSINESS_LINK'], administratorEmail: email } },
  );
  const token = new URL(invitationLink(await mailTo(mailpitUrl, email))).searchParams.get('token') ?? '';
  const context = await newContext(browser, problems, { locale: lang === 'it' ? 'it-IT' : 'en-US' });
  await context.addInitScript((l) => {
    if (location.protocol.startsWith('http')) localStorage.setItem('contactgate.language', l);
  }, lang);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/sign-in`);
  await gql(page, 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { staff } }', {
    input: { token, name: `Review Admin ${lang}`, password: 'review-password-123' },
  });
  return { accountId: created.createAccount.id, page, context };
}

type ReviewGate = { reviewOverdue: boolean; reviewLocked: boolean };

/** Polls the gate until `done` holds (the server's clock moves on by itself). */
async function waitForGate(p: Partner, done: (g: ReviewGate) => boolean, seconds = 40): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const { accessGate } = await gql<{ accessGate: ReviewGate }>(
      p.page,
      'query($a: ID!) { accessGate(accountId: $a, environment: SANDBOX) { reviewOverdue reviewLocked } }',
      { a: p.accountId },
    );
    if (done(accessGate)) return;
    if (Date.now() > deadline) throw new Error(`gate still ${JSON.stringify(accessGate)}`);
    await p.page.waitForTimeout(500);
  }
}

for (const lang of ['en', 'it'] as const) {
  const t = CATALOGUES[lang];
  describe.sequential(`review (${lang})`, () => {
    it('warnings inline, review mode postponed, then blocking, confirm unlocks', async () => {
      const p = await newPartner(lang);
      // Valid but weak: a consumer mailbox, the emergency phone a fixed line.
      const contact = { name: 'Ops', email: 'ops@partner.example', phone: '+390612345678' };
      await gql(p.page, 'mutation($input: UpdateContactInfoInput!) { updateContactInfo(input: $input) { account { id } } }', {
        input: {
          accountId: p.accountId,
          environment: 'SANDBOX',
          technicalEmergency: [contact],
          technicalNonEmergency: [{ email: 'mario.rossi@gmail.com' }],
          operationalForGoogle: [{ email: 'escalations@partner.example' }],
          operationalForUsers: { email: 'help@partner.example' },
          operationalSupport: { alwaysOpen: true, windows: [] },
        },
      });
      const page = p.page;
      await page.goto(`${baseUrl}/accounts/${p.accountId}/contact-info?env=sandbox`);
      const warnings = await visible(page.getByTestId('contact-warnings'));
      await visible(warnings.getByText(fmt(t.review.warning.FREE_MAIL_DOMAIN, { email: 'mario.rossi@gmail.com' })));
      await visible(warnings.getByText(t.review.warning.NO_PHONE_FOR_EMERGENCY));
      expect(await page.getByTestId('review-modal').count()).toBe(0);
      await checkA11y(page, `warnings (${lang})`);
      await shot(page, `review-warnings-${lang}`);

      // Due: the review mode opens, "Confirm" first, and can be postponed.
      await waitForGate(p, (g) => g.reviewOverdue && !g.reviewLocked);
      await page.reload();
      const modal = await visible(page.getByRole('dialog', { name: t.review.title }));
      const buttons = modal.getByRole('button');
      await visible(modal.getByRole('button', { name: t.review.confirm }));
      expect(await buttons.filter({ hasText: t.review.confirm }).count()).toBe(1);
      await visible(modal.getByRole('textbox').first());
      await checkA11y(page, `review mode, postponable (${lang})`);
      await shot(page, `review-due-${lang}`);
      await modal.getByRole('button', { name: t.review.later }).click();
      await gone(page.getByRole('dialog', { name: t.review.title }));

      // Past the grace it blocks: no way to postpone or dismiss.
      await waitForGate(p, (g) => g.reviewLocked);
      await page.reload();
      const blocking = await visible(page.getByRole('dialog', { name: t.review.title }));
      expect(await blocking.getByRole('button', { name: t.review.later }).count()).toBe(0);
      await page.keyboard.press('Escape');
      await visible(page.getByRole('dialog', { name: t.review.title }));
      await visible(blocking.getByRole('textbox').first());
      await checkA11y(page, `review mode, blocking (${lang})`);
      await shot(page, `review-blocking-${lang}`);
      await blocking.getByRole('button', { name: t.review.confirm }).click();
      await gone(page.getByRole('dialog', { name: t.review.title }));
      await waitForGate(p, (g) => !g.reviewOverdue, 5);
      await p.context.close();
      // The cycle takes 45 s of the server's time on top of the browser's work.
    }, 180_000);

    it('the staff dashboard opens with a health chart whose parts link to the filtered list', async () => {
      const context = await newContext(browser, problems, { locale: lang === 'it' ? 'it-IT' : 'en-US' });
      await context.addInitScript((l) => {
        if (location.protocol.startsWith('http')) localStorage.setItem('contactgate.language', l);
      }, lang);
      const page = await context.newPage();
      await signInByApi(page, baseUrl, staff);
      await page.goto(`${baseUrl}/staff`);
      const summary = await visible(page.getByTestId('health-summary'));
      await visible(summary.getByRole('heading', { name: t.health.title }));
      await visible(page.getByTestId('health-chart').locator('svg.recharts-surface'));
      await checkA11y(page, `staff health summary (${lang})`);
      await shot(page, `review-staff-health-${lang}`);
      await summary.getByRole('link', { name: new RegExp(`^${t.health.withWarnings}: \\d+$`) }).click();
      await page.waitForURL((url) => url.searchParams.get('warnings') === 'any');
      await visible(page.getByRole('link', { name: `Review ${lang.toUpperCase()} ${run}` }));
      // The part's filter is the list's: it is in the address, so the view can be shared.
      expect(page.url()).toContain('warnings=any');
      await context.close();
    });
  });
}

describe('no problems', () => {
  it('no console errors, page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
