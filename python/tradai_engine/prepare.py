"""The part every Freqtrade run shares, once: the candles are there, the exchange's markets come
from tradai's offline source with every requested pair listed, and the config is written where
Freqtrade will read it. Used by the backtest (and so every sweep point), Freqtrade's hyperopt and the Optuna hyperopt
(hyperopt/evaluator.py); the shadow replay shares the markets check (it writes its own config).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .markets import install_offline_markets
from .protocol import BridgeError


def offline_markets(config: dict[str, Any], user_data_dir: str) -> dict[str, Any]:
    """Install offline markets for the config's exchange and pairs; USAGE naming any pair a markets
    snapshot does not list (Freqtrade would silently drop it and trade fewer pairs)."""
    exchange, pairs = config["exchange"]["name"], config["exchange"]["pair_whitelist"]
    markets = install_offline_markets(exchange, pairs, user_data_dir)
    if markets["missing"]:
        raise BridgeError(
            "USAGE",
            f"{', '.join(markets['missing'])} not listed on {exchange} (markets snapshot {markets['file']})",
            hint="check the pair names, or refresh the snapshot with `tradai data markets`",
            details={"pairs": markets["missing"], "file": markets["file"]},
        )
    return markets


def prepare_run(config: dict[str, Any], user_data_dir: str, config_file: Path, strict: bool = False) -> dict[str, Any]:
    """Check the candles (DATA_NOT_FOUND naming what is missing; with ``strict``, DATA_BAD_ROWS for
    rows Freqtrade would drop), install the offline markets (USAGE for an unlisted pair), write
    ``config`` to ``config_file``. Returns the markets source."""
    from .ops.backtest import check_data  # ops.backtest imports Freqtrade at call time only

    pairs = config["exchange"]["pair_whitelist"]
    check_data(Path(config["datadir"]), pairs, config["timeframe"], config["trading_mode"], config.get("timerange"), strict=strict)
    markets = offline_markets(config, user_data_dir)
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return markets
