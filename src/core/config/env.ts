/**
 * Environment variables, by config key. The first variable that is set wins, so `TRADAI_*`
 * beats the platform's existing `STRATEGY_SERVICE_*` names and MLflow's own, which are kept
 * as aliases so existing task definitions keep working.
 */
export const ENV_VARS: Record<string, string[]> = {
  strategiesDir: ['TRADAI_STRATEGIES_DIR', 'STRATEGY_SERVICE_STRATEGIES_DIR'],
  userDataDir: ['TRADAI_USER_DATA_DIR', 'STRATEGY_SERVICE_USER_DATA_DIR'],
  outputDir: ['TRADAI_OUTPUT_DIR'],
  exchange: ['TRADAI_EXCHANGE'],
  stakeCurrency: ['TRADAI_STAKE_CURRENCY'],
  stakeAmount: ['TRADAI_STAKE_AMOUNT'],
  startingBalance: ['TRADAI_STARTING_BALANCE'],
  maxOpenTrades: ['TRADAI_MAX_OPEN_TRADES'],
  fee: ['TRADAI_FEE'],
  pairs: ['TRADAI_PAIRS'],
  timeframe: ['TRADAI_TIMEFRAME'],
  timerange: ['TRADAI_TIMERANGE'],
  'engine.dir': ['TRADAI_ENGINE_DIR'],
  'engine.python': ['TRADAI_PYTHON'],
  'engine.autoSetup': ['TRADAI_ENGINE_AUTO_SETUP'],
  'tracking.uri': ['TRADAI_MLFLOW_TRACKING_URI', 'STRATEGY_SERVICE_MLFLOW_TRACKING_URI', 'MLFLOW_TRACKING_URI'],
  'tracking.enabled': ['TRADAI_TRACKING'],
  'tracking.experimentPrefix': ['TRADAI_EXPERIMENT_PREFIX'],
  'tracking.experimentName': ['TRADAI_EXPERIMENT_NAME'],
  'tracking.outboxDir': ['TRADAI_OUTBOX_DIR'],
  'tracking.serverDir': ['TRADAI_MLFLOW_DIR'],
  'tracking.username': ['MLFLOW_TRACKING_USERNAME'],
  'tracking.password': ['MLFLOW_TRACKING_PASSWORD'],
  'tracking.token': ['MLFLOW_TRACKING_TOKEN'],
  'server.host': ['TRADAI_SERVER_HOST', 'TRADAI_HOST', 'STRATEGY_SERVICE_HOST'],
  'server.port': ['TRADAI_SERVER_PORT', 'TRADAI_PORT', 'STRATEGY_SERVICE_PORT'],
  'server.maxConcurrentJobs': ['TRADAI_SERVER_MAX_JOBS'],
  'server.shutdownGraceSeconds': ['TRADAI_SERVER_GRACE_SECONDS'],
  'server.bodyLimit': ['TRADAI_SERVER_BODY_LIMIT'],
  'server.jobsDir': ['TRADAI_JOBS_DIR'],
  'server.token': ['TRADAI_API_TOKEN'],
  'gates.signingKeyFile': ['TRADAI_GATE_KEY_FILE'],
  'tracking.timeoutSeconds': ['TRADAI_TRACKING_TIMEOUT'],
  'engine.timeoutSeconds': ['TRADAI_ENGINE_TIMEOUT'],
  shadowDir: ['TRADAI_SHADOW_DIR'],
  studiesDir: ['TRADAI_STUDIES_DIR'],
  'gates.challenge.criteria': ['TRADAI_GATES_CHALLENGE_CRITERIA'],
  'gates.shadow.minDays': ['TRADAI_GATES_SHADOW_MIN_DAYS'],
  'gates.shadow.minTrades': ['TRADAI_GATES_SHADOW_MIN_TRADES'],
  'gates.shadow.minMatchRate': ['TRADAI_GATES_SHADOW_MIN_MATCH_RATE'],
  'gates.shadow.maxProfitDrift': ['TRADAI_GATES_SHADOW_MAX_PROFIT_DRIFT'],
  'gates.shadow.profitDriftFloor': ['TRADAI_GATES_SHADOW_PROFIT_DRIFT_FLOOR'],
  'gates.shadow.maxDrawdown': ['TRADAI_GATES_SHADOW_MAX_DRAWDOWN'],
  'credentials.file': ['TRADAI_CREDENTIALS_FILE'],
  'data.source': ['TRADAI_DATA_SOURCE'],
  'data.arcticUri': ['TRADAI_ARCTIC_URI'],
  'data.arcticSymbolTemplate': ['TRADAI_ARCTIC_SYMBOL_TEMPLATE'],
  'data.strict': ['TRADAI_STRICT_DATA'],
}

const NUMBER_KEYS = new Set([
  'startingBalance',
  'maxOpenTrades',
  'fee',
  'server.port',
  'server.maxConcurrentJobs',
  'server.shutdownGraceSeconds',
  'server.bodyLimit',
  'tracking.timeoutSeconds',
  'engine.timeoutSeconds',
  'gates.shadow.minDays',
  'gates.shadow.minTrades',
  'gates.shadow.minMatchRate',
  'gates.shadow.maxProfitDrift',
  'gates.shadow.profitDriftFloor',
  'gates.shadow.maxDrawdown',
])
const BOOLEAN_KEYS = new Set(['engine.autoSetup', 'tracking.enabled', 'data.strict'])
const LIST_KEYS = new Set(['pairs'])

/**
 * Turns an environment string into the value the schema expects. A value that cannot be
 * converted is passed through unchanged so that validation reports it with its source.
 */
export function parseEnvValue(key: string, raw: string): unknown {
  if (NUMBER_KEYS.has(key)) return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw
  if (key === 'stakeAmount') return raw === 'unlimited' ? raw : Number.isFinite(Number(raw)) ? Number(raw) : raw
  if (BOOLEAN_KEYS.has(key)) {
    if (/^(1|true|yes|on)$/i.test(raw)) return true
    if (/^(0|false|no|off)$/i.test(raw)) return false
    return raw
  }
  if (LIST_KEYS.has(key)) return raw.split(/[\s,]+/).filter(Boolean)
  // Criteria hold spaces ("totalTrades >= 30"): separated by commas or semicolons.
  if (key === 'gates.challenge.criteria')
    return raw
      .split(/[;,]/)
      .map((entry) => entry.trim())
      .filter(Boolean)
  return raw
}
