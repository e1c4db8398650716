import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'libs/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/e2e/**/*.test.ts',
      'apps/*/bench/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Coordinators started by tests serve the console: it is built once, first, when stale.
    globalSetup: ['apps/console/build/vitest-global-setup.ts'],
  },
});
