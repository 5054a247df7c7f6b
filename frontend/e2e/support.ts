import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { en, type Catalogue } from '../src/i18n/en';
import { it as itCatalogue } from '../src/i18n/it';

export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

export const CATALOGUES: Record<'en' | 'it', Catalogue> = { en, it: itCatalogue };

/** The catalogue's {{variable}} interpolation, for matching texts the app shows. */
export function fmt(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/{{(\w+)}}/g, (_, k: string) => String(vars[k] ?? ''));
}

export function exact(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Console errors, page errors and CSP violations seen by any page of a context. */
export type Problems = string[];

export async function newContext(
  browser: Browser,
  problems: Problems,
  options: { width?: number; height?: number; locale?: string; mobile?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1366, height: options.height ?? 900 },
    locale: options.locale ?? 'en-US',
    deviceScaleFactor: 1,
    isMobile: options.mobile ?? false,
    hasTouch: options.mobile ?? false,
    timezoneId: 'Europe/Rome',
  });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  context.on('page', (page) => watch(page, problems));
  return context;
}

function watch(page: Page, problems: Problems) {
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // Refused requests (401/404 answers) are logged by Chromium as console errors; they are not app errors.
    if (/Failed to load resource/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
}

/** axe-core with the WCAG 2.x A/AA tags (including 2.2 AA); fails on any violation. */
export async function checkA11y(page: Page, what: string, exclude: string[] = []): Promise<void> {
  await settle(page);
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  for (const selector of exclude) builder = builder.exclude(selector);
  const result = await builder.analyze();
  if (result.violations.length > 0) {
    const lines = result.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`,
    );
    throw new Error(`axe found ${result.violations.length} violation(s) on ${what}:\n  ${lines.join('\n  ')}`);
  }
}

/** Waits until no CSS transition or animation runs (a fading dialog would fail contrast checks). */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5000 });
  await page.waitForTimeout(100);
}

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.waitForTimeout(150);
  await settle(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

export async function visible(locator: Locator, timeout = 15_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator;
}

export async function gone(locator: Locator, timeout = 15_000): Promise<void> {
  await locator.first().waitFor({ state: 'hidden', timeout });
}

/** The newest mail to `to` in Mailpit, waiting for it to arrive. */
export async function mailTo(mailpitUrl: string, to: string, seconds = 30): Promise<{ subject: string; text: string; html: string }> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const res = await fetch(`${mailpitUrl}/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}&limit=5`);
    if (res.ok) {
      const body = (await res.json()) as { messages?: { ID: string; Subject: string }[] };
      const first = body.messages?.[0];
      if (first) {
        const msg = (await (await fetch(`${mailpitUrl}/api/v1/message/${first.ID}`)).json()) as { Subject: string; Text: string; HTML: string };
        return { subject: msg.Subject, text: msg.Text ?? '', html: msg.HTML ?? '' };
      }
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no mail to ${to} within ${seconds}s`);
}

export function invitationLink(mail: { text: string; html: string }): string {
  const match = /https?:\/\/[^\s"'<>]+\/invitations\/accept\?token=[^\s"'<>&]+/.exec(`${mail.text}\n${mail.html}`);
  if (!match) throw new Error(`no invitation link in mail:\n${mail.text}`);
  return match[0];
}

export async function signIn(page: Page, baseUrl: string, credentials: string, t: Catalogue): Promise<void> {
  const [email, password] = credentials.split(' ');
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole('textbox', { name: new RegExp(t.signIn.email) }).fill(email);
  await page.getByLabel(new RegExp(t.signIn.password)).fill(password);
  await page.getByRole('button', { name: t.signIn.submit }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** The signed-in person's language as the server records it (for their mails). */
export function serverLanguage(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { user { language } } }' }),
    });
    const body = (await res.json()) as { data?: { me?: { user?: { language?: string | null } } | null } };
    return body.data?.me?.user?.language ?? null;
  });
}

export async function signOut(page: Page, t: Catalogue): Promise<void> {
  await page.getByRole('button', { name: new RegExp(fmt(t.user.menu, { name: '' }).trim()) }).click();
  await page.getByRole('menuitem', { name: t.user.signOut }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/sign-in'));
}

/** Runs a GraphQL operation from the page (its cookies, its origin); throws on GraphQL errors. */
export async function gql<T>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await page.evaluate(
    async ([q, v]) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return (await res.json()) as { data?: unknown; errors?: { message: string }[] };
    },
    [query, variables] as const,
  );
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data as T;
}

/** Signs page in by the API as "email password" (credentials), without the sign-in form. */
export async function signInByApi(page: Page, baseUrl: string, credentials: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  const [email, password] = credentials.split(' ');
  await gql(page, 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { staff } }', { e: email, p: password });
}
