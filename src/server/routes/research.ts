import * as z from 'zod'

import {dataSettingsFromConfig} from '../../core/backtest/request.js'
import {DEFAULT_LOSS} from '../../core/hyperopt/request.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'
import {parseGrid} from '../../core/sweep/grid.js'
import {validateSortBy} from '../../core/sweep/run-sweep.js'
import {runTrackedSweep} from '../../core/sweep/tracked-sweep.js'
import {sweepStudyLocation} from '../../core/sweep/study-sweep.js'
import {redactUrl} from '../../core/redact.js'
import {backtestTracking} from '../../core/tracking/track-backtest.js'
import {runTrackedWalkForward} from '../../core/walk-forward/tracked-walk-forward.js'
import {DATA_KEYS, dataFields, paramName, strategyName} from '../schemas.js'
import type {Service} from '../service.js'
import {accepted, jobResponses, typed, type App} from './route-kit.js'

/** The same retries as the commands: a finished run is not lost to a slow server (the outbox keeps it). */
const TRACKING_RETRIES = {retries: 2, backoffMs: 150}

// A list value is one value: a comma would split it in the --grid form it is parsed as.
const gridValue = z.union([z.string().regex(/^[^,]+$/, 'one value, without a comma'), z.number(), z.boolean()])

/**
 * `strategy sweep`'s flags. The grid is either the CLI's own strings (["buy_rsi=20:40:5"]) or
 * an object of axes ({buy_rsi: [25, 30]} or {buy_rsi: "20:40:5"}); both go through the
 * command's parser, so ranges, duplicates and sweep.maxPoints are checked exactly as there.
 * No `top`: it only shortens the text table, and --json (this document) keeps every point.
 */
export const sweepBody = z.strictObject({
  strategy: strategyName,
  grid: z
    .union([z.array(z.string().min(1)).min(1), z.record(paramName, z.union([z.array(gridValue).min(1), z.string().min(1)]))])
    .describe('Axes: {"buy_rsi": [25, 30], "sell_rsi": "60:80:10"} or the --grid strings ["buy_rsi=25,30"].'),
  jobs: z.number().int().min(1).max(64).optional().describe('Warm engine processes (--jobs; default 1).'),
  sortBy: z.string().min(1).optional().describe('Metric the points are ranked by (--sort-by; default profitTotal).'),
  yes: z.boolean().optional().describe('Run a grid larger than sweep.maxPoints (--yes).'),
  track: z.boolean().optional().describe('Record the sweep in MLflow (default true; --no-track).'),
  storage: z
    .string()
    .min(1)
    .optional()
    .describe('Share the sweep through an Optuna study on this storage (--storage): postgresql://USER:PASS@HOST:PORT/DB, or sqlite:////abs/path.db on one machine.'),
  study: z
    .string()
    .min(1)
    .optional()
    .describe("The sweep's Optuna study (--study; created, or resumed when it exists). Default with storage: the run id; without: a journal file in the server's studiesDir."),
  ...dataFields,
})

/** `strategy walk-forward`'s flags; the studies folder stays the server's. */
export const walkForwardBody = z.strictObject({
  strategy: strategyName,
  trainDays: z.number().int().min(1),
  testDays: z.number().int().min(1),
  windows: z.number().int().min(1).optional(),
  anchored: z.boolean().optional(),
  epochs: z.number().int().min(1).max(100_000),
  spaces: z
    .array(z.string().regex(/^[a-z]+$/, 'a space like buy, sell or protection'))
    .optional()
    .describe('Default buy sell.'),
  loss: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a Freqtrade loss class like SharpeHyperOptLoss')
    .optional(),
  seed: z.number().int().optional(),
  jobs: z.number().int().min(1).max(64).optional(),
  minTrades: z.number().int().min(0).optional(),
  track: z.boolean().optional(),
  ...dataFields,
})

/** An object grid as --grid strings: NAME=V1,V2 for a list, NAME=SPEC for a string. */
export function gridSpecs(grid: z.infer<typeof sweepBody>['grid']): string[] {
  if (Array.isArray(grid)) return grid
  return Object.entries(grid).map(([name, values]) => `${name}=${Array.isArray(values) ? values.map(String).join(',') : values}`)
}

function dataValues(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(DATA_KEYS.map((key) => [key, body[key]]))
}

/** Sweeps and walk-forwards: as POST /v1/backtests, validated and resolved now, run as jobs. */
export function researchRoutes(app: App, service: Service): void {
  const api = typed(app)

  api.post(
    '/v1/sweeps',
    {schema: {summary: 'tradai strategy sweep, as a job (its result: docs/schemas/strategy-sweep.schema.json)', tags: ['backtests'], body: sweepBody, response: jobResponses}},
    async (request, reply) => {
      const body = request.body
      const resolved = await service.config(dataValues(body))
      const {config} = resolved
      const grid = parseGrid(gridSpecs(body.grid))
      const sortBy = validateSortBy(body.sortBy ?? 'profitTotal')
      // As the command's --storage/--study, checked now (400 naming the value, its password hidden).
      const study = sweepStudyLocation(body.storage, body.study, studiesDir(config))
      // The job record (kept on disk, returned by GET /v1/jobs/:id) never holds the storage password.
      const recorded = body.storage === undefined ? body : {...body, storage: redactUrl(body.storage)}
      const record = service.jobs.submit('sweep', recorded, async (ctx) => {
        const engine = await service.engine(config, ctx)
        const result = await runTrackedSweep(
          {
            strategy: body.strategy,
            strategiesDir: config.strategiesDir,
            ...dataSettingsFromConfig(resolved),
            grid,
            jobs: body.jobs ?? 1,
            sortBy,
            maxPoints: config.sweep.maxPoints,
            confirmed: body.yes ?? false,
            ...(study ? {study} : {}),
            candleStore: await service.candleStore(config, ctx),
          },
          engine,
          {settings: backtestTracking(config, service.env, service.version, body.track ?? true), port: service.registry(config, TRACKING_RETRIES)},
          ctx,
        )
        return {result}
      })
      return accepted(reply, record)
    },
  )

  api.post(
    '/v1/walk-forwards',
    {
      schema: {
        summary: 'tradai strategy walk-forward, as a job (its result: docs/schemas/strategy-walk-forward.schema.json)',
        tags: ['backtests'],
        body: walkForwardBody,
        response: jobResponses,
      },
    },
    async (request, reply) => {
      const body = request.body
      const resolved = await service.config(dataValues(body))
      const {config} = resolved
      const record = service.jobs.submit('walk-forward', body, async (ctx) => {
        const engine = await service.engine(config, ctx)
        const result = await runTrackedWalkForward(
          {
            strategy: body.strategy,
            strategiesDir: config.strategiesDir,
            ...dataSettingsFromConfig(resolved),
            // As the command's --studies-dir flag, whose env is TRADAI_STUDIES_DIR.
            studiesDir: studiesDir(config),
            trainDays: body.trainDays,
            testDays: body.testDays,
            windows: body.windows,
            anchored: body.anchored ?? false,
            epochs: body.epochs,
            spaces: body.spaces ?? ['buy', 'sell'],
            loss: body.loss ?? DEFAULT_LOSS,
            seed: body.seed,
            jobs: body.jobs ?? 1,
            minTrades: body.minTrades ?? 1,
            candleStore: await service.candleStore(config, ctx),
          },
          engine,
          {settings: backtestTracking(config, service.env, service.version, body.track ?? true), port: service.registry(config, TRACKING_RETRIES)},
          ctx,
        )
        return {result}
      })
      return accepted(reply, record)
    },
  )
}
