import type {z} from 'zod'

import type {EngineOperations, OperationName} from './index.js'

type Schemas = {request: z.ZodType; result: z.ZodType}

/**
 * Each operation's own file, imported on demand: index.ts builds every operation's schemas, a
 * good part of the start of a read-only command like `strategy list` that runs one operation.
 * The same modules index.ts imports, so the same schema objects (test/unit/engine-contract.test.ts
 * checks every entry). Typed by OperationName: an operation added to index.ts without a line here
 * does not compile.
 */
const LOADERS: Record<OperationName, () => Promise<Schemas>> = {
  versions: () => import('./versions.js'),
  backtest: () => import('./backtest.js'),
  'backtest-batch': () => import('./backtest-batch.js'),
  'sweep-study': () => import('./sweep-study.js'),
  shadow: () => import('./shadow.js'),
  'shadow-read': () => import('./shadow-read.js'),
  'shadow-drift': () => import('./shadow-drift.js'),
  'strategy-list': () => import('./strategy-list.js'),
  'strategy-show': () => import('./strategy-show.js'),
  'strategy-config': () => import('./strategy-config.js'),
  'data-list': () => import('./data-list.js'),
  'data-import': () => import('./data-import.js'),
  'data-download': () => import('./data-download.js'),
  'data-markets': () => import('./data-markets.js'),
  'data-sample': () => import('./data-sample.js'),
  lint: () => import('./lint.js'),
  'lint-explain': () => import('./lint-explain.js'),
  'hyperopt-optuna': () => import('./hyperopt-optuna.js'),
  'hyperopt-freqtrade': () => import('./hyperopt-freqtrade.js'),
  'hyperopt-studies': () => import('./hyperopt-studies.js'),
  'credentials-spec': () => import('./credentials-spec.js'),
  'credentials-test': () => import('./credentials-test.js'),
}

/** One operation's contract, importing only its own file. */
export async function operationContract<Op extends OperationName>(operation: Op): Promise<EngineOperations[Op]> {
  const module = await LOADERS[operation]()
  return {request: module.request, result: module.result} as EngineOperations[Op]
}
