import { defineConfig } from 'vitest/config';

// The repository's own tests, and the conformance suites (suites/*.suite.ts) against the default
// plan: the reference implementations and the built-in models, judged by the same engines that
// `xvc run` executes directly.
export default defineConfig({
  test: {
    include: ['**/*.test.ts', 'suites/*.suite.ts'],
    exclude: ['node_modules/**', 'xvc-report/**', '.git/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
