import type {z} from 'zod'

import * as backtest from './backtest.js'
import * as backtestBatch from './backtest-batch.js'
import * as credentialsSpec from './credentials-spec.js'
import * as credentialsTest from './credentials-test.js'
import * as dataDownload from './data-download.js'
import * as dataImport from './data-import.js'
import * as dataList from './data-list.js'
import * as dataMarkets from './data-markets.js'
import * as dataSample from './data-sample.js'
import * as hyperoptFreqtrade from './hyperopt-freqtrade.js'
import * as hyperoptOptuna from './hyperopt-optuna.js'
import * as hyperoptStudies from './hyperopt-studies.js'
import * as lint from './lint.js'
import * as lintExplain from './lint-explain.js'
import * as shadow from './shadow.js'
import * as shadowDrift from './shadow-drift.js'
import * as shadowRead from './shadow-read.js'
import * as strategyConfig from './strategy-config.js'
import * as strategyList from './strategy-list.js'
import * as strategyShow from './strategy-show.js'
import * as sweepStudy from './sweep-study.js'
import * as versions from './versions.js'

/**
 * The bridge contract: every engine operation's request and result, declared once (one file per
 * operation, beside this one). `npm run contract` exports it as JSON Schema into
 * python/tradai_engine/contract/schema.json, which the Python bridge validates against; the TS
 * bridge validates results with these schemas. To add an operation: a file exporting `request`
 * and `result`, one line here (docs/bridge-protocol.md, "How to add an engine operation").
 */
export const ENGINE_OPERATIONS = {
  versions: {request: versions.request, result: versions.result},
  backtest: {request: backtest.request, result: backtest.result},
  'backtest-batch': {request: backtestBatch.request, result: backtestBatch.result},
  'sweep-study': {request: sweepStudy.request, result: sweepStudy.result},
  shadow: {request: shadow.request, result: shadow.result},
  'shadow-read': {request: shadowRead.request, result: shadowRead.result},
  'shadow-drift': {request: shadowDrift.request, result: shadowDrift.result},
  'strategy-list': {request: strategyList.request, result: strategyList.result},
  'strategy-show': {request: strategyShow.request, result: strategyShow.result},
  'strategy-config': {request: strategyConfig.request, result: strategyConfig.result},
  'data-list': {request: dataList.request, result: dataList.result},
  'data-import': {request: dataImport.request, result: dataImport.result},
  'data-download': {request: dataDownload.request, result: dataDownload.result},
  'data-markets': {request: dataMarkets.request, result: dataMarkets.result},
  'data-sample': {request: dataSample.request, result: dataSample.result},
  lint: {request: lint.request, result: lint.result},
  'lint-explain': {request: lintExplain.request, result: lintExplain.result},
  'hyperopt-optuna': {request: hyperoptOptuna.request, result: hyperoptOptuna.result},
  'hyperopt-freqtrade': {request: hyperoptFreqtrade.request, result: hyperoptFreqtrade.result},
  'hyperopt-studies': {request: hyperoptStudies.request, result: hyperoptStudies.result},
  'credentials-spec': {request: credentialsSpec.request, result: credentialsSpec.result},
  'credentials-test': {request: credentialsTest.request, result: credentialsTest.result},
} as const satisfies Record<string, {request: z.ZodType; result: z.ZodType}>

export type EngineOperations = typeof ENGINE_OPERATIONS
export type OperationName = keyof EngineOperations
/** What core hands the engine for `Op` (before defaults: nullish fields may be left out). */
export type RequestOf<Op extends OperationName> = z.input<EngineOperations[Op]['request']>
/** What the engine answers for `Op`, as validated at the boundary. */
export type ResultOf<Op extends OperationName> = z.output<EngineOperations[Op]['result']>

export const OPERATION_NAMES = Object.keys(ENGINE_OPERATIONS) as OperationName[]
