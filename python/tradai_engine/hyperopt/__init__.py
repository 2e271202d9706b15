"""tradai's Optuna engine: Freqtrade's own hyperopt pieces (search spaces, parameter application,
backtest, loss) driven by an Optuna study that tradai owns (resumable storage, many workers)."""
