"""`tradai strategy lint --explain RULE`: why each rule exists, with a bad and a good example.

Kept beside the rule catalogue (rules.py) and keyed by rule id; a test checks every rule has an
entry, so a new rule cannot ship without its explanation.
"""

from __future__ import annotations

from typing import Any

from ..protocol import BridgeError
from . import rules
from .model import Rule

# id -> (explanation, bad, good)
EXPLAIN: dict[str, tuple[str, str, str]] = {
    "TRD000": ("A file that is not valid Python cannot be linted, listed or loaded by Freqtrade; every command "
               "reports it with the line Python names.",
               "def populate_indicators(self, dataframe, metadata)\n    return dataframe",
               "def populate_indicators(self, dataframe, metadata):\n    return dataframe"),
    "TRD001": ("A strategy file must define a class deriving from IStrategy (or tradai's TradAIStrategy); a file "
               "named explicitly that defines none is probably a helper module or a typo.",
               "class MyStrategy:\n    ...",
               "from tradai import TradAIStrategy\n\nclass MyStrategy(TradAIStrategy):\n    ..."),
    "TRD002": ("tradai runs Freqtrade's strategy interface 3. Interface 2 still runs in Freqtrade 2026.9 with the "
               "same results, so it is a warning; any other version is an error.",
               "INTERFACE_VERSION = 2", "INTERFACE_VERSION = 3"),
    "TRD003": ("Freqtrade refuses a strategy without populate_indicators, entry/exit signals or a stoploss; "
               "without minimal_roi or a timeframe it runs with whatever the config says (a warning).",
               "class S(IStrategy):\n    def populate_indicators(self, df, metadata):\n        return df",
               "class S(IStrategy):\n    timeframe = \"5m\"\n    stoploss = -0.1\n    minimal_roi = {\"0\": 0.05}\n"
               "    def populate_indicators(self, df, metadata): ...\n"
               "    def populate_entry_trend(self, df, metadata): ...\n"
               "    def populate_exit_trend(self, df, metadata): ..."),
    "TRD004": ("populate_buy_trend/populate_sell_trend (columns buy/sell) are the interface-2 names. Freqtrade "
               "still calls them and the results are identical, so this is a warning: rename them to the "
               "interface-3 names.",
               "def populate_buy_trend(self, df, metadata):\n    df.loc[df[\"rsi\"] < 30, \"buy\"] = 1",
               "def populate_entry_trend(self, df, metadata):\n    df.loc[df[\"rsi\"] < 30, \"enter_long\"] = 1"),
    "TRD005": ("Freqtrade's strategy loader reads each top-level file of the strategy folder and skips it unless "
               "the text `class <Name>(` appears in it verbatim. A class written with a space (or a line break) "
               "before the parenthesis imports fine but can never be loaded by name, so every tradai command "
               "reports it as a load error.",
               "class MyStrategy (IStrategy):", "class MyStrategy(IStrategy):"),
    "TRD010": ("tradai's metadata (name, version, author, trading mode, default pairs) drives registration and "
               "defaults; TradAIStrategy requires it, a plain IStrategy gets a warning.",
               "class S(TradAIStrategy):\n    stoploss = -0.1",
               "class S(TradAIStrategy):\n    strategy_metadata = StrategyMetadata(name=\"S\", version=\"1.0.0\", ...)"),
    "TRD011": ("strategy_metadata is validated exactly as TradAIStrategy validates it when the class is loaded; "
               "an invalid field makes the strategy fail to load.",
               "StrategyMetadata(name=\"S\", version=\"1.0\", ...)", "StrategyMetadata(name=\"S\", version=\"1.0.0\", ...)"),
    "TRD101": ("shift(-n) moves later candles onto earlier rows. Freqtrade computes indicators once over the whole "
               "backtest, so each row sees the future; live, that row does not exist yet.",
               "df[\"next_close\"] = df[\"close\"].shift(-1)", "df[\"prev_close\"] = df[\"close\"].shift(1)"),
    "TRD102": ("rolling(..., center=True) puts half of the window after the current candle.",
               "df[\"sma\"] = df[\"close\"].rolling(20, center=True).mean()",
               "df[\"sma\"] = df[\"close\"].rolling(20).mean()"),
    "TRD103": ("A min/max/mean/std/quantile over a whole column or frame is one number computed from every candle "
               "of the backtest, future ones included: a min/max normalisation or z-score then tells early candles "
               "where prices will go. Lint follows the frame into helper functions of the module, methods of the "
               "class and modules imported from the strategy folder, and reports the expression and the call site.",
               "def normalize(df):\n    return (df - df.min()) / (df.max() - df.min())\n\n"
               "df[\"norm\"] = normalize(df[\"close\"])",
               "def normalize(s, n=100):\n    low, high = s.rolling(n).min(), s.rolling(n).max()\n"
               "    return (s - low) / (high - low)\n\n"
               "df[\"norm\"] = normalize(df[\"close\"])  # or s.expanding().min() for all candles so far"),
    "TRD104": ("iloc[-1] in populate_* is the last candle of the whole timerange, not the current one; iloc[i + 1] "
               "in a loop reads the next row. In callbacks (custom_stoploss, ...) the frame ends at the current "
               "candle and iloc[-1] is fine.",
               "df[\"last\"] = df[\"close\"].iloc[-1]", "df[\"prev\"] = df[\"close\"].shift(1)"),
    "TRD105": ("bfill() fills a gap with a later candle's value.",
               "df[\"x\"] = df[\"x\"].bfill()", "df[\"x\"] = df[\"x\"].ffill()"),
    "TRD106": ("A resampled or higher-timeframe frame merged without a shift joins each candle's value onto rows "
               "before that candle closed. merge_informative_pair() and @informative shift for you.",
               "df = pd.merge(df, hourly, on=\"date\")",
               "df = merge_informative_pair(df, hourly, self.timeframe, \"1h\", ffill=True)"),
    "TRD107": ("A scaler (MinMaxScaler, StandardScaler, ...) or model fitted on a whole column or frame learns its "
               "statistics from every candle of the backtest, future ones included; so do scaling functions such "
               "as scipy's zscore. Fit on past rows only, or use rolling statistics.",
               "df[[\"c\"]] = MinMaxScaler().fit_transform(df[[\"close\"]])",
               "low, high = df[\"close\"].rolling(200).min(), df[\"close\"].rolling(200).max()\n"
               "df[\"c\"] = (df[\"close\"] - low) / (high - low)"),
    "TRD108": ("rank(pct=True) over a whole column places each candle among all candles of the backtest, later "
               "ones included. Rank within a trailing window instead.",
               "df[\"vol_rank\"] = df[\"volume\"].rank(pct=True)",
               "df[\"vol_rank\"] = df[\"volume\"].rolling(100).rank(pct=True)"),
    "TRD201": ("Freqtrade assigns a hyperoptable parameter to a space by space= or by its name prefix; without "
               "either it refuses to load the strategy.",
               "rsi_length = IntParameter(10, 30, default=14)",
               "rsi_length = IntParameter(10, 30, default=14, space=\"buy\")"),
    "TRD202": ("A parameter whose low is not below its high, that has no default, or a categorical one with fewer "
               "than two categories gives Freqtrade no search space to build.",
               "buy_len = IntParameter(30, 10, default=20)", "buy_len = IntParameter(10, 30, default=20)"),
    "TRD203": ("startup_candle_count candles are loaded before the timerange so indicators have settled; a window "
               "longer than that gives the first candles of every run different values than live.",
               "startup_candle_count = 20\ndf[\"ema\"] = ta.EMA(df, timeperiod=200)",
               "startup_candle_count = 200\ndf[\"ema\"] = ta.EMA(df, timeperiod=200)"),
    "TRD204": ("A default outside the parameter's range (or categories) is a warning: backtests use it (or the "
               "buy_params/sell_params value that overrides it, which the message names), but hyperopt never "
               "proposes it, so results before and after hyperopt are not comparable.",
               "buy_rsi = IntParameter(10, 40, default=45, space=\"buy\")",
               "buy_rsi = IntParameter(10, 50, default=45, space=\"buy\")"),
    "TRD301": ("A strategy file is copied into every run folder, logged to MLflow and registered; a credential in "
               "it leaks everywhere. Read credentials at run time.",
               "api_key = \"AKIA...\"", "api_key = os.environ[\"EXCHANGE_KEY\"]"),
    "TRD401": ("Spot markets cannot be shorted: can_short = True needs trading_mode futures or margin.",
               "can_short = True  # metadata trading_mode=\"spot\"",
               "can_short = True  # metadata trading_mode=\"futures\""),
    "TRD402": ("Freqtrade ignores enter_short signals unless can_short = True.",
               "df.loc[cond, \"enter_short\"] = 1  # no can_short", "can_short = True\ndf.loc[cond, \"enter_short\"] = 1"),
    "TRD501": ("--deep: Freqtrade's lookahead-analysis backtests with the later candles cut off and found signals "
               "or indicators that changed: the strategy reads the future somewhere lint's patterns do not see.",
               "df[\"enter_long\"] = (df[\"close\"].shift(-1) > df[\"close\"]).astype(int)",
               "df[\"enter_long\"] = (df[\"close\"] > df[\"close\"].shift(1)).astype(int)"),
    "TRD502": ("--deep: Freqtrade's recursive-analysis found indicators whose value depends on how many startup "
               "candles precede them.",
               "startup_candle_count = 10\ndf[\"ema\"] = ta.EMA(df, timeperiod=100)",
               "startup_candle_count = 300\ndf[\"ema\"] = ta.EMA(df, timeperiod=100)"),
    "TRD503": ("--deep could not reach a verdict: too few signals in the timerange, or the analysis failed. Widen "
               "the timerange or add pairs.",
               "tradai strategy lint S --deep --timerange 20180120-20180121",
               "tradai strategy lint S --deep --timerange 20180110-20180130 --pairs ETH/BTC LTC/BTC"),
}


def explain(key: str) -> dict[str, Any]:
    """The rule by id (TRD103, trd103) or name (whole-series-aggregate), with its explanation."""
    rule = find_rule(key)
    text, bad, good = EXPLAIN[rule.id]
    return {**rule.to_dict(), "explanation": text, "bad": bad, "good": good}


def find_rule(key: str) -> Rule:
    wanted = key.strip().lower()
    for rule in rules.ALL:
        if wanted in (rule.id.lower(), rule.name):
            return rule
    raise BridgeError("USAGE", f"no lint rule {key!r}", hint="rules are TRD000 … TRD503; `tradai strategy lint "
                      "--json` lists them under rules", details={"available": [r.id for r in rules.ALL]})
