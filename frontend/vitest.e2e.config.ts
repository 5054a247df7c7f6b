import { defineConfig } from 'vitest/config';

// End-to-end: the real Go binary on a fresh database, Mailpit, and Chromium via playwright-core.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
