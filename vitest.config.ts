import { defineConfig } from 'vitest/config';

// The repository's own tests. The conformance suites under suites/ are run by `xvc run`,
// which builds its own vitest configuration (cli/run/).
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'xvc-report/**', '.git/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
