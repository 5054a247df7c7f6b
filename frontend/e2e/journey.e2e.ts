import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  CATALOGUES,
  checkA11y,
  exact,
  fmt,
  gone,
  invitationLink,
  launch,
  mailTo,
  newContext,
  serverLanguage,
  settle,
  shot,
  signIn,
  signOut,
  visible,
  type Problems,
} from './support';

const baseUrl = inject('baseUrl');
const mailpitUrl = inject('mailpitUrl');
const staff = inject('staff');
const run = Date.now().toString(36);

let browser: Browser;
const problems: Problems = [];

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

for (const lang of ['en', 'it'] as const) {
  const t = CATALOGUES[lang];
  const adminEmail = `admin-${lang}-${run}@partner.example`;
  const colleagueEmail = `colleague-${lang}-${run}@partner.example`;
  const accountName = `Journey ${lang.toUpperCase()} ${run}`;
  const password = 'journey-password-123';

  describe.sequential(`journey (${lang})`, () => {
    let context: BrowserContext;
    let page: Page;
    // The invited colleague, signed in at the same time in a second browser.
    let colleagueContext: BrowserContext | undefined;
    let colleague: Page;
    let colleagueLink = '';
    const sockets: string[] = [];
    const modal = () => page.getByRole('dialog', { name: t.gate.title });
    const colleagueModal = () => colleague.getByRole('dialog', { name: t.gate.title });
    const row = (field: string, n: number) => page.getByRole('group', { name: fmt(t.contactInfo.contactN, { n, field }) });
    const email = (field: string, n = 1) => row(field, n).getByRole('textbox', { name: new RegExp(t.contact.email) });
    const save = () => modal().getByRole('button', { name: t.contactInfo.save, exact: true });

    beforeAll(async () => {
      context = await newContext(browser, problems);
      page = await context.newPage();
    });
    afterAll(async () => {
      await colleagueContext?.close();
      await context?.close();
    });

    it('staff sign in (switching language first) and create an account', async () => {
      await page.goto(`${baseUrl}/sign-in`);
      if (lang === 'en') {
        await visible(page.getByRole('heading', { name: t.signIn.title }));
        await shot(page, 'sign-in');
        await checkA11y(page, 'the sign-in page');
      }
      if (lang === 'it') {
        await page.getByRole('button', { name: fmt(CATALOGUES.en.language.label, { language: 'English' }) }).click();
        await page.getByRole('menuitem', { name: 'Italiano' }).click();
        await visible(page.getByRole('heading', { name: t.signIn.title }));
      }
      expect(await page.evaluate(() => (localStorage.getItem('contactgate.language') ?? 'en').slice(0, 2))).toBe(lang);
      await signIn(page, baseUrl, staff, t);
      await visible(page.getByRole('heading', { name: t.staff.title }));
      // Signing in records the page's language for the person's mails.
      await expect.poll(() => serverLanguage(page), { timeout: 5000 }).toBe(lang);
      await page.getByRole('button', { name: t.staff.createAccount }).click();
      const dialog = page.getByRole('dialog', { name: t.staff.createTitle });
      await dialog.getByRole('textbox', { name: new RegExp(t.staff.accountName) }).fill(accountName);
      await dialog.getByRole('checkbox', { name: t.integrationTypes.APPOINTMENTS_E2E }).check();
      await dialog.getByRole('textbox', { name: new RegExp(t.staff.adminEmail) }).fill(adminEmail);
      await dialog.getByRole('button', { name: t.staff.create }).click();
      await visible(page.getByRole('heading', { name: accountName, level: 1 }));
      await visible(page.getByText(t.staff.created));
      await signOut(page, t);
    });

    it('the administrator accepts the invitation mail and meets the modal', async () => {
      const mail = await mailTo(mailpitUrl, adminEmail);
      const link = invitationLink(mail);
      expect(link.startsWith(baseUrl)).toBe(true);
      await page.goto(link);
      await visible(page.getByRole('heading', { name: t.accept.title }));
      await page.getByRole('textbox', { name: new RegExp(t.accept.name) }).fill(`Admin ${lang.toUpperCase()}`);
      await page.getByLabel(new RegExp(t.accept.password)).fill(password);
      await page.getByLabel(new RegExp(t.accept.confirm)).fill(password);
      await page.getByRole('button', { name: t.accept.submit }).click();
      await visible(modal());
      await visible(modal().getByRole('heading', { name: t.fields.TECHNICAL_EMERGENCY.label }));
      await visible(modal().getByText(t.fields.TECHNICAL_EMERGENCY.hint));
      await expect.poll(() => serverLanguage(page), { timeout: 5000 }).toBe(lang);
    });

    it('Escape and a backdrop click do not close the modal', async () => {
      // A closing dialog fades out: once no animation runs, it is either
      // gone or staying.
      await page.keyboard.press('Escape');
      await settle(page);
      expect(await modal().isVisible()).toBe(true);
      await page.mouse.click(6, 6);
      await settle(page);
      expect(await modal().isVisible()).toBe(true);
      expect(await modal().getByRole('button', { name: t.common.close }).count()).toBe(0);
      expect(await modal().getByRole('link', { name: t.gate.contactSupport }).getAttribute('href')).toBe('https://support.example.com/contactgate');
      await visible(modal().getByRole('link', { name: t.gate.referenceGuide }));
      await shot(page, `modal-${lang}`);
      await checkA11y(page, `the modal (${lang})`);
    });

    it('invites a colleague from the Users tab', async () => {
      await modal().getByRole('tab', { name: t.gate.tabUsers }).click();
      const panel = modal().getByRole('tabpanel', { name: t.gate.tabUsers });
      await panel.getByRole('textbox', { name: new RegExp(t.users.inviteEmail) }).fill(colleagueEmail);
      await panel.getByRole('button', { name: t.users.invite, exact: true }).click();
      await visible(panel.getByText(fmt(t.users.invited, { email: colleagueEmail })));
      await visible(panel.getByText(colleagueEmail, { exact: true }));
      const mail = await mailTo(mailpitUrl, colleagueEmail);
      colleagueLink = invitationLink(mail);
      expect(colleagueLink).toContain('/invitations/accept?token=');
      await modal().getByRole('tab', { name: t.gate.tabContactInfo }).click();
    });

    it('the colleague accepts in a second browser and meets the modal too', async () => {
      colleagueContext = await newContext(browser, problems, { locale: lang === 'it' ? 'it-IT' : 'en-US' });
      colleague = await colleagueContext.newPage();
      colleague.on('websocket', (ws) => sockets.push(ws.url()));
      await colleague.goto(colleagueLink);
      await visible(colleague.getByRole('heading', { name: t.accept.title }));
      await colleague.getByRole('textbox', { name: new RegExp(t.accept.name) }).fill(`Colleague ${lang.toUpperCase()}`);
      await colleague.getByLabel(new RegExp(t.accept.password)).fill(password);
      await colleague.getByLabel(new RegExp(t.accept.confirm)).fill(password);
      await colleague.getByRole('button', { name: t.accept.submit }).click();
      await visible(colleagueModal());
      await visible(colleagueModal().getByText(fmt(t.contactInfo.stillMissing_other, { count: 6 })));
      await expect.poll(() => serverLanguage(colleague), { timeout: 5000 }).toBe(lang);
      // Marks this document: a reload would lose it.
      await colleague.evaluate(() => {
        (window as unknown as { notReloaded: boolean }).notReloaded = true;
      });
    });

    it('a mistake is caught, fixed, and a partial form is saved', async () => {
      const te = t.fields.TECHNICAL_EMERGENCY.label;
      await email(te).fill('pager@partner');
      await save().click();
      await visible(modal().getByText(t.validation.emailInvalid));
      expect(await email(te).getAttribute('aria-invalid')).toBe('true');
      await email(te).fill(`pager-${lang}@partner.example`);
      await row(te, 1).getByRole('textbox', { name: new RegExp(t.contact.name) }).fill('On-call pager');
      await email(t.fields.TECHNICAL_NON_EMERGENCY.label).fill(`dev-${lang}@partner.example`);
      await save().click();
      await visible(modal().getByText(fmt(t.contactInfo.savedPartial_other, { count: 4 })));
      // The colleague's modal follows over the websocket.
      await visible(colleagueModal().getByText(fmt(t.contactInfo.stillMissing_other, { count: 4 })), 10_000);
    });

    it('a reload keeps what was saved', async () => {
      await page.reload();
      await visible(modal());
      await visible(email(t.fields.TECHNICAL_EMERGENCY.label));
      expect(await email(t.fields.TECHNICAL_EMERGENCY.label).inputValue()).toBe(`pager-${lang}@partner.example`);
      expect(await email(t.fields.TECHNICAL_NON_EMERGENCY.label).inputValue()).toBe(`dev-${lang}@partner.example`);
      await visible(modal().getByText(fmt(t.contactInfo.stillMissing_other, { count: 4 })));
    });

    it('finishing the form closes the modal and unlocks the portal', async () => {
      await email(t.fields.MERCHANT_ISSUES.label).fill(`merchants-${lang}@partner.example`);
      await email(t.fields.OPERATIONAL_FOR_GOOGLE.label).fill(`escalations-${lang}@partner.example`);
      const shared = page.getByRole('group', { name: t.fields.OPERATIONAL_FOR_USERS.label });
      await shared.getByRole('textbox', { name: new RegExp(t.contact.name) }).fill('Help desk');
      await shared.getByRole('textbox', { name: new RegExp(t.contact.email) }).fill(`help-${lang}@partner.example`);
      await shared.getByRole('textbox', { name: new RegExp(t.contact.phone) }).fill('+39 06 1234 5678');
      await modal().getByRole('radio', { name: t.support.specificHours }).check();
      await visible(modal().getByRole('group', { name: fmt(t.support.windowN, { n: 1 }) }));
      await save().click();
      // The colleague's modal closes too, within seconds, with the same notice (checked further below).
      const colleagueUnlocked = Promise.all([gone(colleagueModal(), 5000), visible(colleague.getByText(t.gate.unlocked), 5000)]);
      await gone(modal());
      await visible(page.getByText(t.gate.unlocked));
      await colleagueUnlocked;
      const nav = page.getByRole('navigation', { name: t.shell.navigation });
      await visible(nav.getByRole('link', { name: t.nav.apiAccess }));
      expect(await nav.getByRole('link', { name: t.nav.apiAccess }).getAttribute('aria-disabled')).not.toBe('true');
    });

    it('the colleague’s portal unlocked by itself, without a reload, over the websocket', async () => {
      expect(await colleagueModal().count()).toBe(0);
      const nav = colleague.getByRole('navigation', { name: t.shell.navigation });
      await expect.poll(() => nav.getByRole('link', { name: t.nav.apiAccess }).getAttribute('aria-disabled'), { timeout: 5000 }).not.toBe('true');
      await visible(colleague.getByText(t.overview.unlockedDetail).first());
      expect(await colleague.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      expect(sockets.some((url) => url === `${baseUrl.replace(/^http/, 'ws')}/graphql`)).toBe(true);
      if (lang === 'en') await shot(colleague, 'colleague-unlocked');
      await colleagueContext?.close();
      colleagueContext = undefined;
    });

    it('in Production the modal asks only for alert contacts; choosing them unlocks', async () => {
      await page.getByRole('button', { name: t.environment.PRODUCTION, exact: true }).click();
      await page.waitForURL(/env=production/);
      await visible(modal());
      await visible(modal().getByText(fmt(t.contactInfo.stillMissing_one, { count: 1 })));
      const missing = modal().locator('a.MuiChip-root');
      expect(await missing.allInnerTexts()).toEqual([t.fields.ALERT_CONTACTS.label]);
      await modal().getByRole('combobox', { name: t.fields.ALERT_CONTACTS.label }).click();
      await page.getByRole('option', { name: new RegExp(adminEmail.replace(/[.+]/g, '\\$&')) }).click();
      await save().click();
      await gone(modal());
      await visible(page.getByText(t.gate.unlocked));
    });

    it('Configuration › Contact info shows the same form and the history', async () => {
      const nav = page.getByRole('navigation', { name: t.shell.navigation });
      await nav.getByRole('link', { name: t.nav.contactInfo }).click();
      await visible(page.getByRole('heading', { name: t.contactInfo.title, level: 1 }));
      await visible(page.getByRole('heading', { name: t.history.title }));
      await visible(page.getByText(exact(t.fields.ALERT_CONTACTS.label)).first());
      expect(await email(t.fields.TECHNICAL_EMERGENCY.label).inputValue()).toBe(`pager-${lang}@partner.example`);
      await shot(page, `contact-page-${lang}`);
      if (lang === 'en') await shot(page, 'contact-page-full', true);
      await checkA11y(page, `the contact page (${lang})`);
    });

    it('the other sections work once unlocked: overview, users, API access', async () => {
      const nav = page.getByRole('navigation', { name: t.shell.navigation });
      await nav.getByRole('link', { name: t.nav.overview }).click();
      await visible(page.getByRole('heading', { name: accountName, level: 1 }));
      await visible(page.getByText(t.overview.unlockedDetail).first());
      if (lang === 'en') await shot(page, 'overview');

      await nav.getByRole('link', { name: t.nav.users }).click();
      await visible(page.getByRole('heading', { name: t.users.title, level: 1 }));
      await visible(page.getByText(colleagueEmail, { exact: true }));
      if (lang === 'en') await shot(page, 'users-page');
      await checkA11y(page, `the users page (${lang})`);

      await nav.getByRole('link', { name: t.nav.apiAccess }).click();
      await visible(page.getByRole('heading', { name: t.apiAccess.title, level: 1 }));
      await page.getByRole('textbox', { name: new RegExp(t.apiAccess.name) }).fill('Deploy pipeline');
      await page.getByRole('button', { name: t.apiAccess.create }).click();
      const secret = page.getByRole('dialog', { name: fmt(t.apiAccess.secretTitle, { name: 'Deploy pipeline' }) });
      await visible(secret);
      const token = await secret.getByRole('textbox', { name: t.apiAccess.secret }).inputValue();
      expect(token.length).toBeGreaterThan(16);
      if (lang === 'en') await shot(page, 'api-token-created');
      await checkA11y(page, `the API token dialog (${lang})`);
      await secret.getByRole('button', { name: t.apiAccess.secretDone }).click();
      await gone(secret);
      // The token works against the API.
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ portalConfig { supportUrl } }' }),
      });
      expect(res.status).toBe(200);
    });

    it('switching the language in the portal records it for mails', async () => {
      const other = lang === 'en' ? CATALOGUES.it : CATALOGUES.en;
      const otherName = lang === 'en' ? 'Italiano' : 'English';
      await page.getByRole('button', { name: fmt(t.language.label, { language: lang === 'en' ? 'English' : 'Italiano' }) }).click();
      await page.getByRole('menuitem', { name: otherName }).click();
      await visible(page.getByRole('heading', { name: other.apiAccess.title, level: 1 }));
      await expect.poll(() => serverLanguage(page), { timeout: 5000 }).toBe(lang === 'en' ? 'it' : 'en');
      await page.getByRole('button', { name: fmt(other.language.label, { language: otherName }) }).click();
      await page.getByRole('menuitem', { name: lang === 'en' ? 'English' : 'Italiano' }).click();
      await visible(page.getByRole('heading', { name: t.apiAccess.title, level: 1 }));
      await expect.poll(() => serverLanguage(page), { timeout: 5000 }).toBe(lang);
    });

    it('Configuration › Activity shows the administrator’s sign-in, the invitations and the token', async () => {
      const nav = page.getByRole('navigation', { name: t.shell.navigation });
      await nav.getByRole('link', { name: t.nav.activity }).click();
      await visible(page.getByRole('heading', { name: t.activity.title, level: 1 }));
      const table = page.getByRole('table', { name: t.activity.caption });
      const rows = (action: string) => table.getByRole('row').filter({ has: page.getByText(action, { exact: true }) });
      const signedIn = await visible(rows(t.activity.actions.SIGN_IN).filter({ hasText: adminEmail }));
      expect(await signedIn.first().innerText()).toContain('127.0.0.1');
      await visible(rows(t.activity.actions.INVITATION_SENT).filter({ hasText: colleagueEmail }));
      await visible(rows(t.activity.actions.INVITATION_ACCEPTED).filter({ hasText: adminEmail }));
      await visible(rows(t.activity.actions.API_TOKEN_CREATED).filter({ hasText: 'Deploy pipeline' }));
      await visible(rows(t.activity.actions.API_TOKEN_FIRST_USED).filter({ hasText: 'Deploy pipeline' }));
      await shot(page, `activity-${lang}`);
      await checkA11y(page, `the activity page (${lang})`);
    });
  });
}

describe.sequential('staff dashboard and phone layout', () => {
  it('the staff dashboard lists the accounts with their gates; axe passes', async () => {
    const context = await newContext(browser, problems);
    const page = await context.newPage();
    const t = CATALOGUES.en;
    await signIn(page, baseUrl, staff, t);
    await visible(page.getByRole('heading', { name: t.staff.title }));
    await expect.poll(() => serverLanguage(page), { timeout: 5000 }).toBe('en');
    await visible(page.getByRole('link', { name: `Journey EN ${run}` }));
    await visible(page.getByRole('link', { name: 'Demo Partner' }));
    await shot(page, 'staff-dashboard');
    await checkA11y(page, 'the staff dashboard');

    await page.getByRole('link', { name: `Journey EN ${run}` }).click();
    await visible(page.getByRole('heading', { name: `Journey EN ${run}`, level: 1 }));
    await visible(page.getByText(t.support.closedNow).or(page.getByText(t.support.openNow)).first());
    await visible(page.getByText(fmt(t.notify.recipients_one, { count: 1 })));
    await shot(page, 'staff-account', true);
    await checkA11y(page, 'the staff account page');
    await context.close();
  });

  it('on a 390 px phone the modal and the portal fit the screen', async () => {
    const t = CATALOGUES.en;
    const context = await newContext(browser, problems, { width: 390, height: 844, mobile: true });
    const page = await context.newPage();
    // The demo partner is still locked: the modal is full screen.
    await signIn(page, baseUrl, inject('admin'), t);
    const modal = page.getByRole('dialog', { name: t.gate.title });
    await visible(modal);
    const box = await modal.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'phone-modal');
    // The top bar is behind the full-screen modal: sign out from the modal itself.
    await modal.getByRole('button', { name: t.user.signOut }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/sign-in'));

    // The journey's administrator has an unlocked portal.
    await signIn(page, baseUrl, `admin-en-${run}@partner.example journey-password-123`, t);
    await page.waitForURL(/\/overview/);
    await page.goto(page.url().replace('/overview', '/contact-info'));
    await visible(page.getByRole('heading', { name: t.contactInfo.title, level: 1 }));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await shot(page, 'phone-contact-page');
    await page.getByRole('button', { name: t.shell.openNavigation }).click();
    await visible(page.getByRole('link', { name: t.nav.users }));
    await shot(page, 'phone-navigation');
    await page.keyboard.press('Escape');
    await signOut(page, t);

    await signIn(page, baseUrl, staff, t);
    await visible(page.getByRole('heading', { name: t.staff.title }));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'phone-staff-dashboard');
    await context.close();
  });

  it('without a websocket (refused for good, or dropped again and again) the portal works as before', async () => {
    const t = CATALOGUES.en;
    const attemptsFor: Record<number, number> = {};
    for (const code of [4500, 1001]) {
      const context = await newContext(browser, problems);
      let attempts = 0;
      await context.routeWebSocket(/\/graphql$/, (ws) => {
        attempts++;
        void ws.close({ code, reason: 'refused by the test' });
      });
      const page = await context.newPage();
      await signIn(page, baseUrl, inject('admin'), t);
      const modal = page.getByRole('dialog', { name: t.gate.title });
      await visible(modal);
      // A retried close reconnects within a second or two and a final one
      // never does: proving that absence takes time.
      await page.waitForTimeout(2500);
      await modal.getByRole('tab', { name: t.gate.tabUsers }).click();
      await visible(modal.getByRole('tabpanel', { name: t.gate.tabUsers }));
      attemptsFor[code] = attempts;
      await context.close();
    }
    // 4500 is final for graphql-ws; other closes are retried quietly.
    expect(attemptsFor[4500]).toBe(1);
    expect(attemptsFor[1001]).toBeGreaterThan(1);
  });

  it('no console errors, page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
