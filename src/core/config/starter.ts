/** The commented starter file `tradai config init` writes (YAML: comments survive). */
export const STARTER_CONFIG = `# tradai configuration. Precedence: flag > environment (TRADAI_*) > this file > defaults.
# Check it with \`tradai config validate\`; see every resolved value with \`tradai config show\`.

# Strategy files (one class per file works best). Env: TRADAI_STRATEGIES_DIR / STRATEGY_SERVICE_STRATEGIES_DIR
strategiesDir: strategies
# Freqtrade's user_data folder: candles under data/<exchange>/. Env: TRADAI_USER_DATA_DIR / STRATEGY_SERVICE_USER_DATA_DIR
userDataDir: user_data
# Where backtest runs are kept, one folder per run id (default <userDataDir>/backtest_results/tradai).
# outputDir: runs

# Defaults for backtests; a strategy's own metadata fills what is left unset here.
exchange: binance
# pairs: [ETH/BTC, LTC/BTC]
# timeframe: 5m
# timerange: 20180110-20180130
# stakeAmount: unlimited      # or a number in the stake currency
# startingBalance: 1          # wallet in the stake currency
# maxOpenTrades: 3
# fee: 0.001                  # per side; default: the market's fee

engine:
  # The Python engine's virtual environment. Env: TRADAI_ENGINE_DIR. Default: one per user,
  # $XDG_DATA_HOME/tradai/engine (~/.local/share/tradai/engine), shared by every folder; set it to
  # keep a project-local engine (relative to this file). Studies, the outbox and the local MLflow
  # server's store sit beside the engine.
  # dir: .tradai/engine
  # Install the engine on first use when it is missing.
  autoSetup: true

tracking:
  # MLflow server. Env: TRADAI_MLFLOW_TRACKING_URI / STRATEGY_SERVICE_MLFLOW_TRACKING_URI / MLFLOW_TRACKING_URI
  # Default: the server \`tradai tracking start\` runs, while it runs; else http://localhost:5000.
  # uri: http://localhost:5000
  enabled: true
  # Credentials come from MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN; keep them out of this file.

# server:                        # tradai serve
#   host: 0.0.0.0                # Env: TRADAI_SERVER_HOST / STRATEGY_SERVICE_HOST
#   port: 8003                   # Env: TRADAI_SERVER_PORT / STRATEGY_SERVICE_PORT
#   maxConcurrentJobs: 2         # default: the number of cores
#   shutdownGraceSeconds: 30
#   # The API token comes from TRADAI_API_TOKEN; keep it out of this file.
`
