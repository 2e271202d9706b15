import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    // oclif writes straight to stdout/stderr; don't let vitest swallow it.
    disableConsoleIntercept: true,
    globalSetup: ['test/helpers/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // e2e tests run real Freqtrade / MLflow / Optuna: generous, and files in parallel on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
  },
})
