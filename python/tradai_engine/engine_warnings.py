"""Freqtrade's own WARNING+ log records, passed to the user as tradai warnings.

Freqtrade says important things only in its log ("No history for ETH/BTC, 1h ...", "Strategy
... has no enter signals"); its logs go to stderr, which tradai shows only with --verbose. Each
record at WARNING or above also becomes a `log` event (the CLI shows it in the tree, under --json
on stderr) and is collected, so results can carry them as ``warnings: [...]``.
"""

from __future__ import annotations

import logging

from . import protocol

_collected: list[str] = []


class _Forward(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must not break the run
            return
        if message in _collected:
            return  # Freqtrade repeats some warnings once per pair or epoch
        _collected.append(message)
        protocol.log("warning", message)


_handler = _Forward(level=logging.WARNING)


def install() -> None:
    """On the ``freqtrade`` logger. Freqtrade's setup_logging() runs logging.config.dictConfig, which
    drops existing handlers, so the handler is put back after every dictConfig call (stdlib only:
    importing Freqtrade here would slow every engine operation)."""
    import logging.config

    logger = logging.getLogger("freqtrade")
    if _handler not in logger.handlers:
        logger.addHandler(_handler)
    original = logging.config.dictConfig
    if getattr(original, "_tradai_wrapped", False):
        return

    def dict_config(config):
        original(config)
        logger.disabled = False
        if _handler not in logger.handlers:
            logger.addHandler(_handler)

    dict_config._tradai_wrapped = True  # type: ignore[attr-defined]
    logging.config.dictConfig = dict_config


def collected() -> list[str]:
    return list(_collected)
