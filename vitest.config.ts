import {defineConfig} from 'vitest/config'

/**
 * Two layers. `unit`: core and adapters on fakes and local fixtures; needs no engine and no dist/
 * (`npm run test:unit`, seconds). `e2e`: the built CLI against real Freqtrade, MLflow, Optuna and
 * PostgreSQL; its global setup checks dist/ and installs the engine (`npm run test:e2e`).
 */
export default defineConfig({
  test: {
    // oclif writes straight to stdout/stderr; don't let vitest swallow it.
    disableConsoleIntercept: true,
    reporters: ['default'],
    // Three files at a time on the 2-core CI machine: an e2e file waits on servers, bounded network
    // probes, request timeouts and throttled replays part of its time, and a third file fills it.
    // TRADAI_TEST_WORKERS sets another number.
    maxWorkers: Number(process.env.TRADAI_TEST_WORKERS ?? 3),
    projects: [
      {
        extends: true,
        test: {name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000},
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          // e2e tests run real Freqtrade / MLflow / Optuna: generous, and files in parallel on 2 cores.
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: true,
        },
      },
    ],
  },
})
