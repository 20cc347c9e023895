import { defineConfig } from 'vitest/config';
import { CLOCK_ENV } from './electron/desk/clock';
import { TEST_NOW } from './tests/support/clock';

// Every test run encrypts with one fixed, test-only database key (never a real one), so tests, their child
// processes and the servers they start need no key files. tests/unit/auth/encryption.test.ts covers key files.
// Every desk they open starts its clock at TEST_NOW (tests/support/clock.ts): no test reads the real clock.
const TEST_ENV = { STANDBY_DESK_KEY: '5eed'.repeat(16), [CLOCK_ENV]: TEST_NOW };

// Three projects: unit (shared, desk, server, electron shell logic; fast, parallel), renderer (the renderer's
// store, reducers, keymap and api client as plain logic under Node: no DOM, no React rendering) and e2e (real
// Chromium against `standby-desk serve`; one server per test file, run one file at a time on this 2-core machine).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          env: TEST_ENV,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'renderer',
          include: ['tests/renderer/**/*.test.{ts,tsx}'],
          environment: 'node',
          env: TEST_ENV,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          env: TEST_ENV,
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
