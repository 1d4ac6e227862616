/** Jest runs TypeScript through swc (no type checking here: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Finds Chromium once per run, before the workers start (test/browser/support/find-browser.ts).
  globalSetup: '<rootDir>/test/browser/support/global-setup.ts',
  // The harness defaults to the realistic network model; the suite opts into the fast one for speed (tests of time
  // behaviour set `network: 'realistic'` themselves). HARNESS_NETWORK=realistic runs the whole suite under it.
  setupFiles: ['<rootDir>/test/support/network.ts'],
  // A net for a test that hangs, not a speed budget: no test may fail because the machine is slow or busy
  // (`npm run test:stress`). Tests set no timeouts of their own.
  testTimeout: 15 * 60_000,
  // Jest's default is one worker fewer than the cores: one worker on a 2-core machine, which leaves a core idle, since
  // a test's emulator and fetch worker mostly wait on it. Two workers at least (measured in the README's "Tests").
  maxWorkers: Math.max(2, require('os').availableParallelism() - 1),
  // A worker whose heap passed this after a test file is replaced by a fresh one: the large e2e files leave workers
  // with big heaps, which makes every later collection slow (the memory tests force many). 185 s → 138 s for the
  // whole suite on a 2-core machine (README, "Test").
  workerIdleMemoryLimit: '600MB',
};
