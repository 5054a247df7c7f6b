import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATALOGUES, checkA11y, fmt, gone, gql, invitationLink, launch, mailTo, newContext, type Problems, shot, signInByApi, visible } from './support';

// Issue 15: the partner's experience, polished. One fresh account per scenario, in English and Italian.
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

type Partner = { accountId: string; accountName: string; email: string; context: BrowserContext; page: Page };

let counter = 0;
/** A new account whose administrator accepted the invitation (through the API) and is signed in. */
async function newPartner(
  lang: 'en' | 'it',
  options: { width?: number; height?: number; mobile?: boolean; types?: string[] } = {},
): Promise<Partner> {
  counter++;
  const email = `polish-${lang}-${counter}-${run}@partner.example`;
  const accountName = `Polish ${lang.toUpperCase()} ${counter} ${run}`;
  const created = await gql<{ createAccount: { id: string } }>(
    staffPage,
    'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
    { input: { name: accountName, integrationTypes: options.types ?? ['APPOINTMENTS_E2E'], administratorEmail: email } },
  );
  const link = invitationLink(await mailTo(mailpitUrl, email));
  const token = new URL(link).searchParams.get('token') ?? '';
  const context = await newContext(browser, problems, { ...options, locale: lang === 'it' ? 'it-IT' : 'en-US' });
  await context.addInitScript((l) => {
    if (location.protocol.startsWith('http')) localStorage.setItem('contactgate.language', l);
  }, lang);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/sign-in`);
  await gql(page, 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { staff } }', {
    input: { token, name: `Polish Admin ${counter}`, password: 'polish-password-123' },
  });
  return { accountId: created.createAccount.id, accountName, email, context, page };
}

const telLink = (pg: Page) => pg.getByRole('link', { name: '+39 02 1234 5678' });

const CONTACT_INFO = `
  mutation($input: UpdateContactInfoInput!) { updateContactInfo(input: $input) { account { id } } }`;

/** Fills every field but alert contacts (and `omit`) through the API: Sandbox unlocked, Production locked. */
async function completeSandbox(p: Partner, omit: string[] = [], production: { alertContactUserIds: string[] } | null = null): Promise<void> {
  const contact = { name: 'Ops', email: 'ops@partner.example', phone: '+390212345678' };
  const input: Record<string, unknown> = {
    technicalEmergency: [contact],
    technicalNonEmergency: [contact],
    merchantIssues: [contact],
    operationalForGoogle: [contact],
    operationalForUsers: contact,
    operationalSupport: { alwaysOpen: true, windows: [] },
  };
  for (const key of omit) delete input[key];
  await gql(p.page, CONTACT_INFO, { input: { ...input, accountId: p.accountId, environment: 'SANDBOX' } });
  if (production) await gql(p.page, CONTACT_INFO, { input: { ...input, ...production, accountId: p.accountId, environment: 'PRODUCTION' } });
}

for (const lang of ['en', 'it'] as const) {
  const t = CATALOGUES[lang];
  describe.sequential(`polish (${lang})`, () => {
    it('1. nothing typed is lost: leaving with unsaved edits asks first', async () => {
      const p = await newPartner(lang);
      await completeSandbox(p);
      const { page } = p;
      await page.goto(`${baseUrl}/accounts/${p.accountId}/contact-info?env=sandbox`);
      const form = page.getByRole('form', { name: t.contactInfo.formLabel });
      const row = form.getByRole('group', { name: fmt(t.contactInfo.contactN, { n: 1, field: t.fields.TECHNICAL_EMERGENCY.label }) });
      const name = row.getByRole('textbox', { name: new RegExp(`^${t.contact.name}`) });
      await visible(name);
      await name.fill('Typed Name');
      const nav = page.getByRole('navigation', { name: t.shell.navigation });
      await nav.getByRole('link', { name: t.nav.users }).click();
      const ask = page.getByRole('alertdialog', { name: t.unsaved.title });
      await visible(ask);
      await shot(page, `polish-1-unsaved-${lang}`);
      await checkA11y(page, 'the unsaved-changes question');
      await ask.getByRole('button', { name: t.unsaved.stay }).click();
      await gone(ask);
      expect(page.url()).toContain('/contact-info');
      expect(await name.inputValue()).toBe('Typed Name');

      // Switching environment asks too.
      await page.getByRole('button', { name: t.environment.PRODUCTION, exact: true }).click();
      await visible(ask);
      await ask.getByRole('button', { name: t.unsaved.stay }).click();
      await gone(ask);
      expect(page.url()).toContain('env=sandbox');

      // Closing the tab asks (beforeunload).
      let asked = false;
      page.once('dialog', (dialog) => {
        asked = dialog.type() === 'beforeunload';
        void dialog.dismiss();
      });
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => asked, { timeout: 5000 }).toBe(true);

      // Leaving on purpose goes, and nothing was saved.
      const again = await p.context.newPage();
      await again.goto(`${baseUrl}/accounts/${p.accountId}/contact-info?env=sandbox`);
      const name2 = again
        .getByRole('form', { name: t.contactInfo.formLabel })
        .getByRole('group', { name: fmt(t.contactInfo.contactN, { n: 1, field: t.fields.TECHNICAL_EMERGENCY.label }) })
        .getByRole('textbox', { name: new RegExp(`^${t.contact.name}`) });
      await visible(name2);
      await name2.fill('Typed Again');
      await again.getByRole('navigation', { name: t.shell.navigation }).getByRole('link', { name: t.nav.users }).click();
      const ask2 = again.getByRole('alertdialog', { name: t.unsaved.title });
      await visible(ask2);
      await ask2.getByRole('button', { name: t.unsaved.leave }).click();
      await again.waitForURL(/\/users/);
      // Without edits, moving needs no question.
      await again.getByRole('navigation', { name: t.shell.navigation }).getByRole('link', { name: t.nav.contactInfo }).click();
      await again.waitForURL(/\/contact-info/);
      await visible(name2);
      expect(await name2.inputValue()).toBe('Ops');
      await p.context.close();
    });

    it('3. time zones people can find: canonical names, by city, country, abbreviation and offset', async () => {
      const p = await newPartner(lang);
      await completeSandbox(p);
      const { page } = p;
      await page.goto(`${baseUrl}/accounts/${p.accountId}/contact-info?env=sandbox`);
      await page.getByRole('radio', { name: t.support.specificHours }).check();
      const zone = page.getByRole('combobox', { name: t.support.timeZone });
      await visible(zone);
      // The user's own zone (the browser's, Europe/Rome here) is chosen and listed first, with its offset.
      expect(await zone.inputValue()).toMatch(/^Europe\/Rome \(GMT\+[12]\)$/);
      await zone.click();
      await zone.press('ControlOrMeta+a');
      await zone.press('Backspace');
      const options = page.getByRole('listbox').getByRole('option');
      await visible(options);
      expect(await options.first().innerText()).toMatch(/^Europe\/Rome\s+GMT\+[12]/);
      for (const [query, expected] of [
        ['Milan', 'Europe/Rome'],
        [lang === 'it' ? 'Italia' : 'Italy', 'Europe/Rome'],
        ['CET', 'Europe/Rome'],
        ['GMT+5:30', 'Asia/Kolkata'],
        ['Kolkata', 'Asia/Kolkata'],
        ['Kyiv', 'Europe/Kyiv'],
      ]) {
        await zone.fill(query);
        await visible(options.filter({ hasText: expected }));
      }
      await zone.fill('Calcutta');
      await visible(options.filter({ hasText: 'Asia/Kolkata' }));
      expect(await options.allInnerTexts()).toEqual([expect.stringContaining('Asia/Kolkata')]);
      await zone.fill(lang === 'it' ? 'Italia' : 'Italy');
      await shot(page, `polish-3-time-zones-${lang}`);
      await checkA11y(page, 'the time-zone search');
      await options.filter({ hasText: 'Europe/Rome' }).click();
      expect(await zone.inputValue()).toMatch(/^Europe\/Rome/);
      await p.context.close();
    });

    it('4. support hours in three clicks: presets, a summary, Enter never submits, overlaps warned', async () => {
      const p = await newPartner(lang);
      await completeSandbox(p);
      const { page } = p;
      await page.goto(`${baseUrl}/accounts/${p.accountId}/contact-info?env=sandbox`);
      const window2 = page.getByRole('group', { name: fmt(t.support.windowN, { n: 2 }) });
      await visible(page.getByRole('radio', { name: t.support.specificHours }));
      // "Mon–Fri 9–18 Europe/Rome + Sat 10–14", counting every action.
      let actions = 0;
      const act = async (step: () => Promise<unknown>) => {
        actions++;
        await step();
      };
      await act(() => page.getByRole('button', { name: t.support.preset.weekdays918Sat }).click());
      await act(() => window2.getByLabel(t.support.opens).fill('10:00'));
      await act(() => window2.getByLabel(t.support.closes).fill('14:00'));
      // Enter in a time field does not submit.
      await act(() => window2.getByLabel(t.support.closes).press('Enter'));
      await page.waitForTimeout(300);
      expect(await page.getByText(t.contactInfo.unsaved).count()).toBe(1);
      const summary =
        lang === 'it' ? 'lun–ven 9:00–18:00, sab 10:00–14:00, Europe/Rome' : 'Mon–Fri 9:00 AM–6:00 PM, Sat 10:00 AM–2:00 PM, Europe/Rome';
      await visible(page.getByText(fmt(t.support.summary, { summary })));
      await shot(page, `polish-4-hours-${lang}`);
      await checkA11y(page, 'the support-hours editor');
      await act(() => page.getByRole('button', { name: t.contactInfo.save, exact: true }).click());
      await visible(page.getByText(t.contactInfo.savedComplete));
      expect(actions).toBeLessThanOrEqual(8);
      const saved = await gql<{ account: { contactInfo: { operationalSupport: unknown } } }>(
        page,
        'query($id: ID!) { account(id: $id) { contactInfo { operationalSupport { alwaysOpen windows { days opens closes timeZone } } } } }',
        { id: p.accountId },
      );
      expect(saved.account.contactInfo.operationalSupport).toEqual({
        alwaysOpen: false,
        windows: [
          { days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], opens: '09:00', closes: '18:00', timeZone: 'Europe/Rome' },
          { days: ['SATURDAY'], opens: '10:00', closes: '14:00', timeZone: 'Europe/Rome' },
        ],
      });

      // A new window takes the days not yet covered and the previous zone; a copy overlaps and is warned about.
      await page.getByRole('button', { name: t.support.addWindow }).click();
      const window3 = page.getByRole('group', { name: fmt(t.support.windowN, { n: 3 }) });
      await visible(window3);
      const pressed = await window3.locator('[aria-pressed="true"]').count();
      expect(pressed).toBe(1);
      expect(await window3.getByRole('combobox', { name: t.support.timeZone }).inputValue()).toMatch(/^Europe\/Rome/);
      await page.getByRole('button', { name: fmt(t.support.copyWindowN, { n: 1 }) }).click();
      await visible(page.getByText(fmt(t.support.overlap, { a: 1, b: 2 })));
      await shot(page, `polish-4-overlap-${lang}`);
      await page.getByRole('button', { name: t.contactInfo.discard }).click();
      await p.context.close();
    });

    it('5. times that say where: the zone of each time, and the viewer’s own time', async () => {
      const p = await newPartner(lang);
      await completeSandbox(p);
      const { page } = p;
      await gql(page, CONTACT_INFO, {
        input: {
          accountId: p.accountId,
          environment: 'SANDBOX',
          operationalSupport: {
            alwaysOpen: false,
            windows: [{ days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], opens: '09:00', closes: '17:00', timeZone: 'America/New_York' }],
          },
        },
      });
      // The viewer's zone is Europe/Rome: 6 hours after New York (5 or 6 around the DST changes).
      const placeText = new RegExp(fmt(t.support.placeTime, { time: '.+', place: 'New York' }));
      const yourText = new RegExp(fmt(t.support.yourTime, { time: '.+' }).replace(/[()]/g, '\\$&'));
      await page.goto(`${baseUrl}/accounts/${p.accountId}/overview?env=sandbox`);
      await visible(page.getByText(placeText));
      await visible(page.getByText(yourText));
      await visible(page.getByText(new RegExp(`America/New York.*${fmt(t.support.yourTime, { time: '15:00–23:00' }).replace(/[()]/g, '\\$&')}|America/New York.*${fmt(t.support.yourTime, { time: '3:00 PM–11:00 PM' }).replace(/[()]/g, '\\$&')}`)));
      await shot(page, `polish-5-overview-${lang}`);
      await checkA11y(page, 'the overview with zoned times');
      await page.goto(`${baseUrl}/support/${p.accountId}`);
      await visible(page.getByText(placeText));
      expect(await page.getByText(placeText).count()).toBeGreaterThan(0);
      await shot(page, `polish-5-public-${lang}`);
      await p.context.close();
    });

    it('6. phones as people write them: checked while typed, saved as E.164, shown international with tel: links', async () => {
      const p = await newPartner(lang);
      await completeSandbox(p);
      const { page } = p;
      const country = lang === 'it' ? 'Italia' : 'Italy';
      await page.goto(`${baseUrl}/accounts/${p.accountId}/contact-info?env=sandbox`);
      const form = page.getByRole('form', { name: t.contactInfo.formLabel });
      const phoneOf = (field: 'TECHNICAL_EMERGENCY' | 'TECHNICAL_NON_EMERGENCY') =>
        form
          .getByRole('group', { name: fmt(t.contactInfo.contactN, { n: 1, field: t.fields[field].label }) })
          .getByRole('textbox', { name: new RegExp(`^${t.contact.phone}`) });
      // The stored E.164 number is shown as people write it.
      await visible(phoneOf('TECHNICAL_EMERGENCY'));
      expect(await phoneOf('TECHNICAL_EMERGENCY').inputValue()).toBe('+39 02 1234 5678');
      // A number too short for its country says so, naming the country in the page's language.
      const typed = phoneOf('TECHNICAL_NON_EMERGENCY');
      await typed.fill('+39 123');
      await typed.blur();
      const tooShort = page.getByText(fmt(t.phone.tooShort, { number: '+39 123', country }));
      await visible(tooShort);
      expect(await typed.getAttribute('aria-invalid')).toBe('true');
      await typed.scrollIntoViewIfNeeded();
      await shot(page, `polish-6-phone-too-short-${lang}`);
      await checkA11y(page, 'a phone number that is too short');
      // A number written locally (Italian locale) or with its country code is read and shown back.
      const written = lang === 'it' ? '02 8765 4321' : '+39 02 8765 4321';
      await typed.fill(written);
      await gone(tooShort);
      await typed.blur();
      await visible(page.getByText(fmt(t.phone.savedAs, { number: '+39 02 8765 4321', country })));
      await shot(page, `polish-6-phone-saved-as-${lang}`);
      await page.getByRole('button', { name: t.contactInfo.save, exact: true }).click();
      await visible(page.getByText(t.contactInfo.savedComplete));
      const saved = await gql<{ account: { contactInfo: { technicalNonEmergency: { phone: string }[] } } }>(
        page,
        'query($id: ID!) { account(id: $id) { contactInfo { technicalNonEmergency { phone } } } }',
        { id: p.accountId },
      );
      expect(saved.account.contactInfo.technicalNonEmergency[0].phone).toBe('+390287654321');
      // Everywhere else: international form, as a tel: link.
      await page.goto(`${baseUrl}/accounts/${p.accountId}/overview?env=sandbox`);
      await visible(telLink(page));
      expect(await telLink(page).first().getAttribute('href')).toBe('tel:+390212345678');
      await shot(page, `polish-6-phone-overview-${lang}`);
      await page.goto(`${baseUrl}/support/${p.accountId}`);
      await visible(telLink(page));
      expect(await telLink(page).first().getAttribute('href')).toBe('tel:+390212345678');
      await shot(page, `polish-6-phone-public-${lang}`);
      await staffPage.goto(`${baseUrl}/staff/accounts/${p.accountId}`);
      await visible(telLink(staffPage));
      expect(await staffPage.getByRole('link', { name: '+39 02 8765 4321' }).count()).toBeGreaterThan(0);
      await p.context.close();
    });

    it('7. guards before, not after: refused actions are disabled in place with the reason', async () => {
      const p = await newPartner(lang);
      const { page } = p;
      // A colleague joins and becomes the only alert contact.
      const colleagueEmail = `colleague-${lang}-${run}@partner.example`;
      await gql(page, 'mutation($input: InviteUserInput!) { inviteUser(input: $input) { id } }', {
        input: { accountId: p.accountId, email: colleagueEmail, role: 'EDITOR' },
      });
      const token = new URL(invitationLink(await mailTo(mailpitUrl, colleagueEmail))).searchParams.get('token') ?? '';
      const other = await newContext(browser, problems);
      const otherPage = await other.newPage();
      await otherPage.goto(`${baseUrl}/sign-in`);
      const accepted = await gql<{ acceptInvitation: { user: { id: string } } }>(
        otherPage,
        'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { user { id } } }',
        { input: { token, name: 'Colleague', password: 'polish-password-123' } },
      );
      await other.close();
      await completeSandbox(p, [], { alertContactUserIds: [accepted.acceptInvitation.user.id] });
      await page.goto(`${baseUrl}/accounts/${p.accountId}/users`);
      const remove = page.getByRole('button', { name: fmt(t.users.removeWho, { who: 'Colleague' }) });
      await visible(remove);
      expect(await remove.isDisabled()).toBe(true);
      const removeReason = page.getByText(t.errorReasons.ONLY_ALERT_CONTACT);
      await visible(removeReason);
      expect(await remove.getAttribute('aria-describedby')).toBe(await removeReason.getAttribute('id'));
      // One's own role: shown, not changeable, and why.
      const ownRole = page.getByRole('combobox', { name: fmt(t.users.roleOf, { who: `Polish Admin ${counter}` }) });
      expect(await ownRole.getAttribute('aria-disabled')).toBe('true');
      const ownReason = page.getByText(t.errorReasons.OWN_ROLE);
      await visible(ownReason);
      expect(await ownRole.getAttribute('aria-describedby')).toBe(await ownReason.getAttribute('id'));
      // The colleague's role stays changeable.
      expect(await page.getByRole('combobox', { name: fmt(t.users.roleOf, { who: 'Colleague' }) }).getAttribute('aria-disabled')).toBeNull();
      await shot(page, `polish-7-guards-${lang}`);
      await checkA11y(page, 'the users page with disabled actions');
      await p.context.close();
    });

    it('8. states that look finished: titles per page, public page without contact, staff list without match', async () => {
      const p = await newPartner(lang);
      await completeSandbox(p);
      const { page } = p;
      await page.goto(`${baseUrl}/accounts/${p.accountId}/contact-info?env=sandbox`);
      await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(`${t.nav.contactInfo} · ${p.accountName} · ContactGate`);
      await page.getByRole('navigation', { name: t.shell.navigation }).getByRole('link', { name: t.nav.users }).click();
      await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(`${t.nav.users} · ${p.accountName} · ContactGate`);
      // An account that shares no contact (none given for users yet): said in the page's language.
      const bare = await newPartner(lang);
      await bare.page.goto(`${baseUrl}/support/${bare.accountId}`);
      await visible(bare.page.getByText(t.publicSupport.none));
      expect(await bare.page.getByText(/not found/i).count()).toBe(0);
      await shot(bare.page, `polish-8-public-none-${lang}`);
      await checkA11y(bare.page, 'the public page without contact');
      await bare.context.close();
      await p.context.close();
      // The staff list with no match says so and offers the way back.
      await staffPage.goto(`${baseUrl}/staff?q=${encodeURIComponent(`no-such-account-${run}`)}`);
      await visible(staffPage.getByText(CATALOGUES.en.staff.noMatch));
      expect(await staffPage.getByText('0–0').count()).toBe(0);
      expect(await staffPage.title()).toBe(`${CATALOGUES.en.staff.title} · ${CATALOGUES.en.nav.staff} · ContactGate`);
      await shot(staffPage, `polish-8-staff-no-match-${lang}`);
      await staffPage.getByRole('button', { name: CATALOGUES.en.staff.clearFilters }).click();
      await gone(staffPage.getByText(CATALOGUES.en.staff.noMatch));
    });

    it('9. phone layout: at 390 px the remove button sits beside its contact', async () => {
      const p = await newPartner(lang, { width: 390, height: 844, mobile: true });
      await completeSandbox(p);
      const { page } = p;
      await page.goto(`${baseUrl}/accounts/${p.accountId}/contact-info?env=sandbox`);
      const field = t.fields.TECHNICAL_EMERGENCY.label;
      const row = page.getByRole('group', { name: fmt(t.contactInfo.contactN, { n: 1, field }) });
      const remove = page.getByRole('button', { name: fmt(t.contactInfo.removeContactN, { n: 1, field }) });
      await visible(remove);
      const email = await row.getByRole('textbox', { name: new RegExp(t.contact.email) }).boundingBox();
      const button = await remove.boundingBox();
      if (!email || !button) throw new Error('no layout');
      // Beside: to the right of the inputs, vertically within the contact's rows.
      expect(button.x).toBeGreaterThanOrEqual(email.x + email.width);
      expect(button.y + button.height / 2).toBeGreaterThan(email.y - 80);
      expect(button.y).toBeLessThan(email.y + email.height + 80);
      await remove.scrollIntoViewIfNeeded();
      await shot(page, `polish-9-remove-beside-${lang}-390`);
      await checkA11y(page, 'the contact rows at 390 px');
      await p.context.close();
    });

    it('10. Italian as an Italian would write it: Required and Missing agree with each field', async () => {
      const p = await newPartner(lang);
      await completeSandbox(p, ['technicalEmergency', 'operationalSupport']);
      const { page } = p;
      await page.goto(`${baseUrl}/accounts/${p.accountId}/contact-info?env=sandbox`);
      const modal = page.getByRole('dialog', { name: t.gate.title });
      await visible(modal);
      const section = (field: keyof typeof t.fields) => modal.getByRole('region', { name: t.fields[field].label });
      // "Contatti tecnici di emergenza · Obbligatori · Mancanti", "Assistenza operativa · Obbligatoria · Mancante".
      await visible(section('TECHNICAL_EMERGENCY').getByText(t.fields.TECHNICAL_EMERGENCY.required, { exact: true }));
      await visible(section('TECHNICAL_EMERGENCY').getByText(t.fields.TECHNICAL_EMERGENCY.missing, { exact: true }));
      await visible(section('OPERATIONAL_SUPPORT').getByText(t.fields.OPERATIONAL_SUPPORT.required, { exact: true }));
      await visible(section('OPERATIONAL_SUPPORT').getByText(t.fields.OPERATIONAL_SUPPORT.missing, { exact: true }));
      await visible(section('OPERATIONAL_FOR_USERS').getByText(t.fields.OPERATIONAL_FOR_USERS.required, { exact: true }));
      // No English chip in Italian (in English, the control: the same words are found).
      expect(await modal.getByText(/^(Required|Missing)$/).count() > 0).toBe(lang === 'en');
      await section('TECHNICAL_EMERGENCY').scrollIntoViewIfNeeded();
      await shot(page, `polish-10-agreement-${lang}`);
      await checkA11y(page, 'the modal with agreeing labels');
      await p.context.close();
    });

    it('8. states that look finished: an error page with Try again inside the app frame', async () => {
      const p = await newPartner(lang);
      await completeSandbox(p);
      const { page } = p;
      // The first load of the account answers INTERNAL (as a server fault would), the next one works.
      let failed = false;
      await page.route('**/graphql', async (route) => {
        if (!failed && (route.request().postData() ?? '').includes('PortalShell')) {
          failed = true;
          await route.fulfill({
            status: 200,
            contentType: 'application/json',
            body: JSON.stringify({ data: null, errors: [{ message: 'internal error', extensions: { code: 'INTERNAL', requestId: 'e2e-1' } }] }),
          });
          return;
        }
        await route.continue();
      });
      await page.goto(`${baseUrl}/accounts/${p.accountId}/overview?env=sandbox`);
      await visible(page.getByRole('heading', { name: t.errorPage.title }));
      // Inside the frame: the top bar and the navigation stay.
      await visible(page.getByRole('banner'));
      await shot(page, `polish-8-error-page-${lang}`);
      await checkA11y(page, 'the error page');
      await page.getByRole('button', { name: t.errorPage.retry }).click();
      await gone(page.getByRole('heading', { name: t.errorPage.title }));
      await visible(page.getByRole('heading', { level: 1, name: p.accountName }));
      expect(failed).toBe(true);
      await page.unroute('**/graphql');
      await p.context.close();
    });

    it('9. phone layout: at 390 px the staff filters fold into one Filters control', async () => {
      const context = await newContext(browser, problems, { width: 390, height: 844, mobile: true, locale: lang === 'it' ? 'it-IT' : 'en-US' });
      await context.addInitScript((l) => {
        if (location.protocol.startsWith('http')) localStorage.setItem('contactgate.language', l);
      }, lang);
      const page = await context.newPage();
      await signInByApi(page, baseUrl, staff);
      await page.goto(`${baseUrl}/staff`);
      const filters = page.getByRole('button', { name: t.staff.filters, exact: true });
      await visible(filters);
      await visible(page.getByRole('searchbox', { name: t.staff.search }));
      expect(await page.getByRole('combobox', { name: t.staff.gateFilter, exact: true }).isVisible()).toBe(false);
      await shot(page, `polish-9-staff-filters-folded-${lang}-390`);
      await filters.click();
      await visible(page.getByRole('combobox', { name: t.staff.gateFilter, exact: true }));
      expect(await filters.getAttribute('aria-expanded')).toBe('true');
      await page.getByRole('combobox', { name: t.staff.gateFilter, exact: true }).click();
      await page.getByRole('option', { name: t.staff.lockedOnly, exact: true }).click();
      await visible(page.getByRole('button', { name: fmt(t.staff.filtersActive, { count: 1 }) }));
      await shot(page, `polish-9-staff-filters-open-${lang}-390`);
      await checkA11y(page, 'the staff filters at 390 px');
      await context.close();
    });

    for (const phone of [false, true]) {
      it(`2. no dead end in the modal: it switches to Production itself, keeping what was typed (${phone ? '390 px' : 'desktop'})`, async () => {
        const p = await newPartner(lang, phone ? { width: 390, height: 844, mobile: true } : {});
        await completeSandbox(p, ['technicalEmergency']);
        const { page } = p;
        await page.goto(`${baseUrl}/accounts/${p.accountId}/overview?env=sandbox`);
        const modal = page.getByRole('dialog', { name: t.gate.title });
        await visible(modal);
        // Alert contacts come first, as on the help page, with the switch at hand.
        await visible(modal.getByRole('heading', { name: t.fields.TECHNICAL_EMERGENCY.label }));
        const headings = await modal.getByRole('heading', { level: 3 }).allInnerTexts();
        expect(headings[0]).toContain(t.fields.ALERT_CONTACTS.label);
        const email = modal
          .getByRole('group', { name: fmt(t.contactInfo.contactN, { n: 1, field: t.fields.TECHNICAL_EMERGENCY.label }) })
          .getByRole('textbox', { name: new RegExp(t.contact.email) });
        await email.fill('pager@partner.example');
        const switchButton = modal.getByRole('button', { name: t.contactInfo.switchToProduction });
        await switchButton.scrollIntoViewIfNeeded();
        await shot(page, `polish-2-sandbox-switch-${lang}${phone ? '-390' : ''}`);
        await checkA11y(page, 'the modal in Sandbox');
        await switchButton.click();
        await page.waitForURL(/env=production/);
        expect(await page.getByRole('alertdialog', { name: t.unsaved.title }).count()).toBe(0);
        await visible(modal.getByRole('combobox', { name: t.fields.ALERT_CONTACTS.label }));
        expect(await email.inputValue()).toBe('pager@partner.example');
        await modal.getByRole('combobox', { name: t.fields.ALERT_CONTACTS.label }).click();
        await page.getByRole('option', { name: new RegExp(p.email.replace(/[.+]/g, '\\$&')) }).click();
        await shot(page, `polish-2-production-${lang}${phone ? '-390' : ''}`);
        await modal.getByRole('button', { name: t.contactInfo.save, exact: true }).click();
        await gone(modal);
        // One save completed both environments.
        const gates = await gql<{ account: { s: { locked: boolean }; p: { locked: boolean } } }>(
          page,
          'query($id: ID!) { account(id: $id) { s: accessGate(environment: SANDBOX) { locked } p: accessGate(environment: PRODUCTION) { locked } } }',
          { id: p.accountId },
        );
        expect(gates.account).toEqual({ s: { locked: false }, p: { locked: false } });
        await p.context.close();
      });
    }
  });
}

describe('no problems', () => {
  it('no console errors, page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
