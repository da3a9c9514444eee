import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable result too (see .ci/run); locally only the default reporter.
const jsonOut = process.env['TAMIS_TEST_JSON'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: jsonOut ? ['default', 'json'] : ['default'],
    ...(jsonOut ? { outputFile: { json: jsonOut } } : {}),
  },
});
