import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

/**
 * Starts what the journey needs, unless given:
 *  - Mailpit (TEST_MAILPIT_URL + TEST_SMTP_URL reuse a running one, as CI provides);
 *  - the Go binary built from this checkout (with the frontend/dist it embeds) on a fresh
 *    SQLite database in a temporary folder (E2E_BASE_URL + E2E_STAFF/E2E_ADMIN reuse a running one).
 */
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const children: ChildProcess[] = [];
let tmp = '';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function waitFor(url: string, what: string, child?: ChildProcess, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not answer at ${url}`);
}

function findMailpit(): string | undefined {
  const candidates = [process.env.MAILPIT_BIN];
  try {
    candidates.push(join(execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim(), 'bin', 'mailpit'));
  } catch {
    // no go
  }
  candidates.push('/usr/local/bin/mailpit', '/usr/bin/mailpit');
  return candidates.find((c) => c && existsSync(c));
}

function stopChildren() {
  for (const child of children.toReversed()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  children.length = 0;
  if (tmp && !process.env.E2E_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
  tmp = '';
}

/** Starts the binary on a fresh SQLite database in tmp/dataDir and reads the demo sign-ins it prints. */
async function startServer(
  binary: string,
  dataDir: string,
  smtpUrl: string,
  extraEnv: Record<string, string>,
): Promise<{ baseUrl: string; staff: string; admin: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = spawn(binary, [], {
    cwd: tmp,
    env: {
      ...process.env,
      ADDR: `127.0.0.1:${port}`,
      DATA_DIR: join(tmp, dataDir),
      DATABASE_URL: '',
      SMTP_URL: smtpUrl,
      MAIL_FROM: 'ContactGate <noreply@contactgate.test>',
      PUBLIC_URL: baseUrl,
      SUPPORT_URL: 'https://support.example.com/contactgate',
      LOG_LEVEL: 'warn',
      CONTACTGATE_INSECURE_FAST_HASH: 'true',
      // Webhook endpoints on this machine may be registered (the tooling scenario).
      WEBHOOK_ALLOW_PRIVATE: 'true',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(server);
  let out = '';
  server.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr?.on('data', (d: Buffer) => {
    if (process.env.E2E_SERVER_LOG) process.stderr.write(d);
  });
  await waitFor(`${baseUrl}/healthz`, 'contactgate', server);
  const deadline = Date.now() + 10_000;
  while (!/administrator of/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const staffMatch = /staff[^\n]*?:\s+(\S+@\S+) \/ (\S+)/.exec(out);
  const adminMatch = /administrator of[^\n]*?:\s+(\S+@\S+) \/ (\S+)/.exec(out);
  if (!staffMatch || !adminMatch) throw new Error(`no demo sign-ins in the server's output:\n${out}`);
  return { baseUrl, staff: `${staffMatch[1]} ${staffMatch[2]}`, admin: `${adminMatch[1]} ${adminMatch[2]}` };
}

export default async function setup(project: TestProject) {
  tmp = mkdtempSync(join(tmpdir(), 'contactgate-e2e-'));
  // Even if the run is interrupted, leave no server or Mailpit behind.
  process.once('exit', stopChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE'] as const) {
    process.once(signal, () => {
      stopChildren();
      process.exit(1);
    });
  }

  let mailpitUrl = process.env.TEST_MAILPIT_URL ?? '';
  let smtpUrl = process.env.TEST_SMTP_URL ?? '';
  if (!mailpitUrl || !smtpUrl) {
    const bin = findMailpit();
    if (!bin) throw new Error('mailpit not found: go install github.com/axllent/mailpit@v1.33.1, or set TEST_MAILPIT_URL and TEST_SMTP_URL');
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    const mailpit = spawn(
      bin,
      [
        '--smtp', `127.0.0.1:${smtpPort}`,
        '--listen', `127.0.0.1:${httpPort}`,
        '--database', join(tmp, 'mailpit.db'),
        '--smtp-auth-accept-any', '--smtp-auth-allow-insecure', '--smtp-disable-rdns',
        '--disable-version-check', '--quiet',
      ],
      { stdio: 'ignore' },
    );
    children.push(mailpit);
    mailpitUrl = `http://127.0.0.1:${httpPort}`;
    smtpUrl = `smtp://127.0.0.1:${smtpPort}`;
    await waitFor(`${mailpitUrl}/api/v1/info`, 'mailpit', mailpit);
  }

  let baseUrl = process.env.E2E_BASE_URL ?? '';
  let staff = process.env.E2E_STAFF ?? '';
  let admin = process.env.E2E_ADMIN ?? '';
  // The review scenario runs a whole review cycle in seconds on a server of its own (REVIEW_INTERVAL
  // in seconds), so that the other scenarios never meet a due review.
  let review = { baseUrl: process.env.E2E_REVIEW_BASE_URL ?? '', staff: process.env.E2E_REVIEW_STAFF ?? '' };
  let binary = '';
  if (!baseUrl || !review.baseUrl) {
    binary = join(tmp, 'contactgate');
    if (process.env.E2E_BINARY) {
      execFileSync('cp', [process.env.E2E_BINARY, binary]);
    } else {
      execFileSync('go', ['build', '-o', binary, '.'], { cwd: repo, stdio: 'inherit' });
    }
  }
  if (!baseUrl) ({ baseUrl, staff, admin } = await startServer(binary, 'data', smtpUrl, {}));
  if (!review.baseUrl) {
    const started = await startServer(binary, 'review-data', smtpUrl, {
      REVIEW_INTERVAL: '20s',
      REVIEW_GRACE: '25s',
      REVIEW_CHECK_INTERVAL: '1s',
    });
    review = { baseUrl: started.baseUrl, staff: started.staff };
  }

  project.provide('baseUrl', baseUrl);
  project.provide('mailpitUrl', mailpitUrl);
  project.provide('staff', staff);
  project.provide('admin', admin);
  project.provide('reviewBaseUrl', review.baseUrl);
  project.provide('reviewStaff', review.staff);

  return () => {
    stopChildren();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    mailpitUrl: string;
    /** "email password" */
    staff: string;
    /** "email password" */
    admin: string;
    /** A server with a review cycle of seconds (REVIEW_INTERVAL=20s, REVIEW_GRACE=25s). */
    reviewBaseUrl: string;
    /** "email password" of that server's staff user */
    reviewStaff: string;
  }
}
