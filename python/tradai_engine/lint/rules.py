"""The rule catalogue: ids are stable (CI suppressions and SARIF history refer to them)."""

from __future__ import annotations

from .model import Rule

# 0xx structure and metadata
PARSE = Rule("TRD000", "parse-error", "error", "The file is not valid Python, so nothing in it can be checked or loaded.")
NO_STRATEGY = Rule("TRD001", "strategy-class", "error",
                   "The file defines a class that extends IStrategy or TradAIStrategy.")
INTERFACE_VERSION = Rule("TRD002", "interface-version", "error",
                         "INTERFACE_VERSION is 3 (2 still runs in Freqtrade 2026.9: a warning; anything else an "
                         "error).")
REQUIRED_MEMBERS = Rule("TRD003", "required-members", "error",
                        "populate_indicators, populate_entry_trend, populate_exit_trend, stoploss, minimal_roi "
                        "and a timeframe are defined.")
INTERFACE_2_NAMES = Rule("TRD004", "interface-2-names", "warning",
                         "populate_buy_trend/populate_sell_trend are the interface-2 names: Freqtrade still runs "
                         "them with identical results, but populate_entry_trend/populate_exit_trend replace them.")
LOADER_VISIBLE = Rule("TRD005", "loader-visible-class", "error",
                      "Freqtrade's loader finds a class only in a top-level file of the strategy folder whose text "
                      "holds `class Name(` exactly (no space before the parenthesis).")
METADATA_MISSING = Rule("TRD010", "metadata-missing", "error",
                        "The strategy declares strategy_metadata = StrategyMetadata(...) (a plain IStrategy gets a "
                        "warning).")
METADATA_INVALID = Rule("TRD011", "metadata-invalid", "error",
                        "strategy_metadata passes the same validation TradAIStrategy runs when it is loaded.")

# 1xx lookahead
NEGATIVE_SHIFT = Rule("TRD101", "negative-shift", "error",
                      "shift() with a negative period reads later candles: a backtest sees the future.")
CENTERED_ROLLING = Rule("TRD102", "centered-rolling", "error",
                        "rolling(..., center=True) averages candles after the current one.")
WHOLE_SERIES_AGGREGATE = Rule("TRD103", "whole-series-aggregate", "error",
                              "mean()/max()/min()/std()/quantile()/... over a whole column or frame in a populate_* "
                              "method, or in a helper it passes the frame to, uses every candle of the backtest, "
                              "future ones included (min/max or z-score normalisation in any form).")
INDEX_AHEAD = Rule("TRD104", "index-ahead", "error",
                   "iloc/loc indexing ahead of the current row (iloc[i + 1]) or at the end of the frame (iloc[-1]) "
                   "inside a populate_* method.")
BACKFILL = Rule("TRD105", "backfill", "error",
                "bfill()/backfill()/fillna(method='bfill') fills a gap with a later candle's value.")
UNSHIFTED_MERGE = Rule("TRD106", "unshifted-merge", "warning",
                       "resample()/merge() in a populate_* method without a shift: a higher-timeframe candle is "
                       "joined before it closed. merge_informative_pair and @informative are safe.")

WHOLE_SERIES_FIT = Rule("TRD107", "whole-series-fit", "error",
                        "A scaler or model fit()/fit_transform() (scikit-learn and alike) or a scaling function "
                        "(zscore, minmax_scale) on a whole column or frame learns from future candles.")
WHOLE_SERIES_RANK = Rule("TRD108", "whole-series-rank", "error",
                         "rank(pct=True) over a whole column ranks each candle against later candles too.")

# 2xx parameters and startup
PARAMETER_SPACE = Rule("TRD201", "parameter-space", "error",
                       "Every hyperoptable parameter has a space (space= or a buy_/sell_/enter_/exit_/protection_ "
                       "name prefix).")
PARAMETER_BOUNDS = Rule("TRD202", "parameter-bounds", "error",
                        "A parameter's low is below its high, it has a default, and a categorical one has two or "
                        "more categories: otherwise Freqtrade cannot build its search space.")
STARTUP_CANDLES = Rule("TRD203", "startup-candle-count", "warning",
                       "startup_candle_count is at least the longest indicator window that can be read from the "
                       "code (timeperiod=/window=/rolling(n), a parameter's high bound when its value is the window).")

PARAMETER_DEFAULT = Rule("TRD204", "parameter-default", "warning",
                         "A parameter's default lies inside its range (or among its categories). The strategy still "
                         "runs (with the default, or the buy_params/sell_params value that overrides it).")

# 3xx secrets
SECRET = Rule("TRD301", "secret-in-code", "error",
              "No API keys, secrets or passwords as literals in strategy code.")

# 4xx trading mode
CAN_SHORT_MODE = Rule("TRD401", "can-short-mode", "error",
                      "can_short = True only for a futures or margin strategy (metadata trading_mode).")
SHORT_WITHOUT_CAN_SHORT = Rule("TRD402", "short-signals-ignored", "warning",
                               "A strategy that sets enter_short also sets can_short = True, else Freqtrade "
                               "ignores its short signals.")

# 5xx --deep (Freqtrade's own analyses)
LOOKAHEAD_ANALYSIS = Rule("TRD501", "lookahead-analysis", "error",
                          "Freqtrade's lookahead-analysis found entry/exit signals or indicators that change when "
                          "later candles are removed.")
RECURSIVE_ANALYSIS = Rule("TRD502", "recursive-analysis", "warning",
                          "Freqtrade's recursive-analysis found indicators whose value depends on how many startup "
                          "candles precede them (raise startup_candle_count).")
DEEP_INCONCLUSIVE = Rule("TRD503", "deep-inconclusive", "warning",
                         "A --deep analysis could not reach a verdict (too few signals, or it failed to run).")

ALL = [PARSE, NO_STRATEGY, INTERFACE_VERSION, REQUIRED_MEMBERS, INTERFACE_2_NAMES, LOADER_VISIBLE, METADATA_MISSING,
       METADATA_INVALID, NEGATIVE_SHIFT, CENTERED_ROLLING, WHOLE_SERIES_AGGREGATE, INDEX_AHEAD, BACKFILL,
       UNSHIFTED_MERGE, WHOLE_SERIES_FIT, WHOLE_SERIES_RANK, PARAMETER_SPACE, PARAMETER_BOUNDS, STARTUP_CANDLES,
       PARAMETER_DEFAULT, SECRET, CAN_SHORT_MODE, SHORT_WITHOUT_CAN_SHORT,
       LOOKAHEAD_ANALYSIS, RECURSIVE_ANALYSIS, DEEP_INCONCLUSIVE]
