"""strategy-show: one strategy's settings and hyperoptable parameters, as Freqtrade would load them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..protocol import BridgeError
from ..requests import require
from ..strategies import find
from ..user_config import strategy_config_file


def run(request: dict) -> dict:
    entry = find(require(request, "strategyPath", str), require(request, "name", str))
    # Parameters hold only their current value; read the defaults before Freqtrade loads values.
    defaults = _parameter_values(entry.cls)
    strategy = _instantiate(entry.cls, entry.file)
    params_file = Path(entry.file).with_suffix(".json")
    return {
        "name": entry.name,
        "className": entry.class_name,
        "file": entry.file,
        "baseClass": entry.base_class,
        "metadata": entry.metadata,
        "timeframe": getattr(strategy, "timeframe", None),
        "minimalRoi": dict(strategy.minimal_roi),
        "stoploss": strategy.stoploss,
        "trailing": {
            "trailingStop": bool(strategy.trailing_stop),
            "trailingStopPositive": strategy.trailing_stop_positive,
            "trailingStopPositiveOffset": strategy.trailing_stop_positive_offset,
            "trailingOnlyOffsetIsReached": bool(strategy.trailing_only_offset_is_reached),
        },
        "startupCandleCount": strategy.startup_candle_count,
        "canShort": bool(strategy.can_short),
        "interfaceVersion": strategy.INTERFACE_VERSION,
        "parameters": [_describe_parameter(name, p, defaults[name]) for name, p in strategy.enumerate_parameters()],
        "paramsFile": str(params_file) if params_file.is_file() else None,
        "configFile": str(config_file) if (config_file := strategy_config_file(Path(entry.file))).is_file() else None,
    }


def _instantiate(cls: type, file: str):
    """Create the strategy and load its parameters through Freqtrade's own code path:
    the params JSON beside the file, then ``<space>_params``, then the defaults."""
    from freqtrade.enums import CandleType, RunMode
    from freqtrade.exceptions import DependencyException, OperationalException

    try:
        strategy = cls({"runmode": RunMode.OTHER, "candle_type_def": CandleType.SPOT})
        strategy.ft_set_special_params_from_file()
        strategy.ft_load_hyper_params(hyperopt=False)
    except (OperationalException, DependencyException, ValueError, TypeError) as exc:
        raise BridgeError(
            "STRATEGY_LOAD",
            f"strategy {cls.__name__} cannot be loaded: {exc}",
            hint=f"check {Path(file).with_suffix('.json').name} (its strategy_name must be {cls.__name__}) and the parameter definitions in {file}",
            details={"file": file, "line": None},
        ) from exc
    return strategy


def _parameter_values(cls: type) -> dict[str, Any]:
    from freqtrade.strategy.hyper import detect_all_parameters

    return {name: p.value for space in detect_all_parameters(cls).values() for name, p in space.items()}


def _describe_parameter(name: str, param: Any, default: Any) -> dict:
    from freqtrade.strategy import (
        BooleanParameter,
        CategoricalParameter,
        DecimalParameter,
        IntParameter,
        RealParameter,
    )

    described: dict[str, Any] = {"name": name, "space": param.space}
    # BooleanParameter is a CategoricalParameter and DecimalParameter a NumericParameter:
    # the most specific class first.
    if isinstance(param, BooleanParameter):
        described.update(type="boolean", options=list(param.opt_range))
    elif isinstance(param, CategoricalParameter):
        described.update(type="categorical", options=list(param.opt_range))
    elif isinstance(param, DecimalParameter):
        described.update(type="decimal", low=param.low, high=param.high, decimals=param.decimals)
    elif isinstance(param, IntParameter):
        described.update(type="int", low=param.low, high=param.high)
    elif isinstance(param, RealParameter):
        described.update(type="real", low=param.low, high=param.high)
    else:
        described.update(type=type(param).__name__)
    described.update(default=default, value=param.value, optimize=param.optimize, load=param.load)
    return described

