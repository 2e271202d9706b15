import * as z from 'zod'

import {CRITERION_METRICS} from '../challenge/criteria.js'
import {PAIR_PATTERN, TIMEFRAME_PATTERN, TIMERANGE_PATTERN} from '../ports/engine-contract/vocabulary.js'

export const pairSchema = z.string().regex(PAIR_PATTERN, 'a pair like ETH/BTC (BASE/QUOTE, upper case)')
export const timeframeSchema = z.string().regex(TIMEFRAME_PATTERN, 'a timeframe like 5m, 1h or 1d')
export const timerangeSchema = z.string().regex(TIMERANGE_PATTERN, 'a timerange like 20180110-20180130 (either side may be empty)')

export const configSchema = z.strictObject({
  strategiesDir: z.string().min(1),
  userDataDir: z.string().min(1),
  /** Where backtest runs are kept, one folder per run id; default <userDataDir>/backtest_results/tradai. */
  outputDir: z.string().min(1).optional(),
  exchange: z.string().regex(/^[a-z0-9_]+$/, 'a ccxt exchange id like binance'),
  stakeCurrency: z
    .string()
    .regex(/^[A-Z0-9]+$/, 'a currency like BTC or USDT')
    .optional(),
  stakeAmount: z.union([z.literal('unlimited'), z.number().positive()]).optional(),
  startingBalance: z.number().positive().optional(),
  maxOpenTrades: z.number().int().min(-1).optional(),
  fee: z.number().min(0).max(0.1).optional(),
  pairs: z.array(pairSchema).min(1).optional(),
  timeframe: timeframeSchema.optional(),
  timerange: timerangeSchema.optional(),
  engine: z.strictObject({
    /** Default the per-user $XDG_DATA_HOME/tradai/engine (~/.local/share/tradai/engine); a project config may keep its own. */
    dir: z.string().min(1),
    python: z.string().min(1).optional(),
    autoSetup: z.boolean(),
    /** Stop an engine run after this long (exit 3); `--timeout` overrides. Default: none for hyperopt, 1 h for a backtest. */
    timeoutSeconds: z.number().positive().optional(),
  }),
  tracking: z.strictObject({
    uri: z.url({protocol: /^https?$/}),
    enabled: z.boolean(),
    experimentPrefix: z.string().optional(),
    /** The experiment a backtest is logged to; `{strategy}` is replaced (one experiment per strategy). */
    experimentName: z
      .string()
      .min(1)
      .refine((name) => !/\{(?!strategy\})[^}]*\}/.test(name), 'a name whose only placeholder is {strategy}'),
    /** Runs waiting for the server; default <engine.dir>/../outbox (per-user, beside the engine). */
    outboxDir: z.string().min(1).optional(),
    /** `tradai tracking start`'s SQLite store, artifacts, log and pid file; default <engine.dir>/../mlflow (per-user, beside the engine). */
    serverDir: z.string().min(1).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    token: z.string().optional(),
    /** Every MLflow request (artifact uploads: without progress) gives up after this long; the run goes to the outbox. */
    timeoutSeconds: z.number().positive(),
  }),
  server: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** `tradai serve`: jobs running at once (the rest wait in a queue); default the number of cores. */
    maxConcurrentJobs: z.number().int().min(1).max(256).optional(),
    /** On SIGTERM/SIGINT running jobs get this long to finish before they are cancelled. */
    shutdownGraceSeconds: z.number().min(0).max(3600),
    /** Largest request body accepted, in bytes. */
    bodyLimit: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024),
    /** Where jobs and their results are kept; default .tradai/jobs in the project (the config file's folder, else the working folder). */
    jobsDir: z.string().min(1).optional(),
    /** Bearer token every route but /health demands (env TRADAI_API_TOKEN); never shown. */
    token: z.string().min(1).optional(),
  }),
  /** `tradai strategy challenge` defaults; flags replace them. */
  challenge: z.strictObject({
    /** `metric op value` expressions and named checks (beatsMarket, beatsProduction). */
    criteria: z.array(z.string().min(1)),
    /** The metric a challenger must beat the production version on (drawdowns: lower is better). */
    productionMetric: z.enum(CRITERION_METRICS),
    /** An out-of-sample window the criteria must also pass on. */
    oosTimerange: timerangeSchema.optional(),
    monteCarlo: z
      .strictObject({
        runs: z.number().int().min(1).max(100_000),
        percentile: z.number().min(1).max(100),
        maxDrawdown: z.number().positive().max(1),
        seed: z.number().int(),
      })
      .partial()
      .optional(),
    /** The walk-forward a `wf*` criterion (wfEfficiency, wfOosProfitTotal, ...) is judged on; the --wf-* flags replace it. */
    walkForward: z
      .strictObject({
        trainDays: z.number().int().min(1),
        testDays: z.number().int().min(1),
        windows: z.number().int().min(1),
        anchored: z.boolean(),
        epochs: z.number().int().min(1),
        spaces: z.array(z.enum(['buy', 'sell', 'protection'])).min(1),
        loss: z.string().min(1),
        seed: z.number().int(),
      })
      .partial()
      .optional(),
  }),
  /** `tradai strategy sweep`: more points than this need --yes. */
  sweep: z.strictObject({
    maxPoints: z.number().int().min(1),
  }),
  /** Where `tradai shadow` keeps its sessions; default .tradai/shadow in the project (the config file's folder, else the working folder). */
  shadowDir: z.string().min(1).optional(),
  /** Journal-file hyperopt studies; default <engine.dir>/../studies (per-user, beside the engine); --studies-dir overrides. */
  studiesDir: z.string().min(1).optional(),
  /** Lifecycle gates: the policy staged and promoted demand, whatever a caller passes, and the key that signs their evidence. */
  gates: z.strictObject({
    /** A file holding the HMAC key; TRADAI_GATE_KEY overrides it; default <user config dir>/tradai/gate.key. */
    signingKeyFile: z.string().min(1).optional(),
    challenge: z.strictObject({
      /** `metric op value` criteria the version's latest challenge must have evaluated (at least as strictly) and passed. */
      criteria: z.array(z.string().min(1)),
    }),
    shadow: z.strictObject({
      /** Virtual days the shadow session must cover. */
      minDays: z.number().min(0),
      minTrades: z.number().int().min(0),
      /** Share of backtest trades the shadow matched (pair, open time within one candle). */
      minMatchRate: z.number().min(0).max(1),
      /** |Δprofit| / max(|backtest profit|, profitDriftFloor), profits as ratios of the starting balance. */
      maxProfitDrift: z.number().min(0),
      profitDriftFloor: z.number().positive(),
      /** The shadow's own max drawdown (account ratio). */
      maxDrawdown: z.number().positive().max(1),
    }),
  }),
  /** `tradai credentials`: the encrypted store; default $XDG_CONFIG_HOME/tradai/credentials.enc. */
  credentials: z.strictObject({file: z.string().min(1).optional()}).default({}),
  /** Where candles come from: Freqtrade's files under user_data, or an ArcticDB store. */
  data: z.strictObject({
    source: z.enum(['files', 'arcticdb']),
    /** Default lmdb://<userDataDir>/data/arctic; s3://… as ArcticDB accepts it (credentials from the AWS variables). */
    arcticUri: z.string().min(1).optional(),
    /** The symbol of a pair and timeframe: {pair} (ETH_BTC), {base}, {quote}, {timeframe}. */
    arcticSymbolTemplate: z
      .string()
      .min(1)
      .refine((t) => t.includes('{pair}') || (t.includes('{base}') && t.includes('{quote}')), 'a template naming {pair}, or {base} and {quote}'),
    /** Candle rows with NaN, zero or negative prices refuse a backtest (exit 2) instead of a warning. */
    strict: z.boolean(),
  }),
})

export type TradaiConfig = z.infer<typeof configSchema>

/** The shape a config file may have: every key optional, unknown keys still rejected. */
export const configFileSchema = configSchema.partial().extend({
  engine: configSchema.shape.engine.partial().optional(),
  tracking: configSchema.shape.tracking.partial().optional(),
  server: configSchema.shape.server.partial().optional(),
  challenge: configSchema.shape.challenge.partial().optional(),
  sweep: configSchema.shape.sweep.partial().optional(),
  gates: z
    .strictObject({
      signingKeyFile: configSchema.shape.gates.shape.signingKeyFile,
      challenge: configSchema.shape.gates.shape.challenge.partial().optional(),
      shadow: configSchema.shape.gates.shape.shadow.partial().optional(),
    })
    .optional(),
  credentials: z.strictObject({file: z.string().min(1).optional()}).optional(),
  data: configSchema.shape.data.partial().optional(),
})

export const DEFAULTS = {
  strategiesDir: 'strategies',
  userDataDir: 'user_data',
  exchange: 'binance',
  'engine.autoSetup': true,
  'tracking.uri': 'http://localhost:5000',
  'tracking.enabled': true,
  'tracking.experimentName': '{strategy}',
  'tracking.timeoutSeconds': 30,
  'server.host': '0.0.0.0',
  'server.port': 8003,
  'server.shutdownGraceSeconds': 30,
  'server.bodyLimit': 1_048_576,
  'challenge.criteria': ['totalTrades >= 30', 'profitFactor > 1.2', 'maxDrawdown < 0.25', 'sharpe >= 1', 'beatsMarket', 'beatsProduction'],
  'challenge.productionMetric': 'profitTotal',
  'sweep.maxPoints': 10_000,
  'gates.challenge.criteria': ['totalTrades >= 30', 'maxDrawdown < 0.25'],
  'gates.shadow.minDays': 7,
  'gates.shadow.minTrades': 10,
  'gates.shadow.minMatchRate': 0.6,
  'gates.shadow.maxProfitDrift': 0.5,
  'gates.shadow.profitDriftFloor': 0.01,
  'gates.shadow.maxDrawdown': 0.25,
  'data.source': 'files',
  'data.arcticSymbolTemplate': '{pair}-{timeframe}',
  'data.strict': false,
} as const satisfies Record<string, unknown>

/** Keys whose values are never shown (config show masks them; they never reach MLflow). */
export const SECRET_KEYS = new Set(['tracking.password', 'tracking.token', 'server.token', 'data.arcticUri'])

/** Keys holding paths: resolved against the config file's folder, or the working directory. */
export const PATH_KEYS = new Set([
  'strategiesDir',
  'userDataDir',
  'outputDir',
  'engine.dir',
  'tracking.outboxDir',
  'tracking.serverDir',
  'server.jobsDir',
  'gates.signingKeyFile',
  'shadowDir',
  'studiesDir',
  'credentials.file',
])
