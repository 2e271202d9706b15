"""Freqtrade's own CLI with offline exchange markets: ``python -m tradai_engine.freqtrade_offline <args>``.

Exactly ``freqtrade <args>`` except that the markets come from tradai's offline source (see
markets.py). The parity test and the benchmarks use it as "raw Freqtrade".
"""

from __future__ import annotations

import sys
from pathlib import Path

from .markets import install_offline_markets


def _markets_target(argv: list[str]) -> tuple[str, list[str], str]:
    """Exchange, pairs and user_data dir the command will use, read the way Freqtrade reads them."""
    from freqtrade.commands import Arguments
    from freqtrade.configuration.load_config import load_from_files

    args = Arguments(argv).get_parsed_arg()
    config = load_from_files(args.get("config") or [])
    exchange_conf = config.get("exchange", {})
    exchange = (args.get("exchange") or exchange_conf.get("name") or "").lower()
    pairs = args.get("pairs") or exchange_conf.get("pair_whitelist") or []
    user_data_dir = args.get("user_data_dir") or config.get("user_data_dir") or str(Path.cwd() / "user_data")
    return exchange, pairs, user_data_dir


def main(argv: list[str]) -> None:
    from freqtrade.main import main as freqtrade_main

    exchange, pairs, user_data_dir = _markets_target(argv)
    if exchange:
        source = install_offline_markets(exchange, pairs, user_data_dir)
        sys.stderr.write(f"tradai: offline markets for {exchange}: {source['source']} {source['file'] or ''}\n")
    freqtrade_main(argv)  # raises SystemExit with Freqtrade's exit code


if __name__ == "__main__":
    main(sys.argv[1:])
