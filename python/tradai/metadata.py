"""StrategyMetadata: what tradai needs to know about a strategy beyond Freqtrade's class attributes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from tradai_engine.pairs import TIMEFRAMES, parse_pair

TRADING_MODES = ("spot", "futures", "margin")
# semver.org's own pattern: MAJOR.MINOR.PATCH with optional pre-release and build metadata.
SEMVER_RE = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_REQUIRED = ("name", "version", "description", "author", "timeframe", "exchange", "trading_mode", "default_pairs")


class StrategyMetadataError(ImportError):
    """Invalid strategy metadata.

    An ImportError on purpose: Freqtrade's strategy resolver imports every file of the strategy
    folder and skips (with a warning) files that raise ImportError, while any other exception
    would abort loading every strategy in the folder because of one broken file.
    """

    def __init__(self, class_name: str, field_name: str | None, problem: str):
        where = f"{class_name}.strategy_metadata" + (f".{field_name}" if field_name else "")
        super().__init__(f"{where}: {problem}")
        self.class_name = class_name
        self.field = field_name
        self.problem = problem


@dataclass(frozen=True, kw_only=True)
class StrategyMetadata:
    # Defaults of None let validate() report a missing field by name and class, which a
    # dataclass TypeError ("missing 1 required keyword-only argument") would not.
    name: str | None = None
    version: str | None = None
    description: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    timeframe: str | None = None
    exchange: str | None = None
    trading_mode: str | None = None
    default_pairs: list[str] | None = None

    def validate(self, class_name: str) -> None:
        """Raise StrategyMetadataError naming the class, the field and what is allowed."""

        def fail(name: str, problem: str) -> None:
            raise StrategyMetadataError(class_name, name, problem)

        for name in _REQUIRED:
            if getattr(self, name) is None:
                fail(name, f"missing; required fields are {', '.join(_REQUIRED)} (tags is optional)")
        if isinstance(self.default_pairs, (list, tuple)) and not self.default_pairs:
            fail("default_pairs", "is empty; list at least one pair the strategy trades, e.g. ['ETH/BTC']")
        for name in ("name", "description", "author", "exchange"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                fail(name, f"{getattr(self, name)!r} must be a non-empty string")
        if not isinstance(self.version, str) or not SEMVER_RE.match(self.version):
            fail("version", f"{self.version!r} is not a semantic version; use MAJOR.MINOR.PATCH such as 1.2.0")
        if self.timeframe not in TIMEFRAMES:
            fail("timeframe", f"{self.timeframe!r} is not a known timeframe; use one of {', '.join(TIMEFRAMES)}")
        if self.exchange != self.exchange.lower():
            fail("exchange", f"{self.exchange!r} must be the lower-case exchange id (e.g. binance, kraken)")
        if self.trading_mode not in TRADING_MODES:
            fail("trading_mode", f"{self.trading_mode!r} is not a trading mode; use one of {', '.join(TRADING_MODES)}")
        if not isinstance(self.tags, (list, tuple)) or not all(isinstance(t, str) and t.strip() for t in self.tags):
            fail("tags", f"{self.tags!r} must be a list of non-empty strings")
        if not isinstance(self.default_pairs, (list, tuple)):
            fail("default_pairs", f"{self.default_pairs!r} must be a non-empty list of pairs such as ['ETH/BTC']")
        for pair in self.default_pairs:
            try:
                _base, _quote, settle = parse_pair(pair)
            except ValueError as exc:
                fail("default_pairs", str(exc))
            # Freqtrade names futures pairs BASE/QUOTE:SETTLE and spot/margin pairs BASE/QUOTE.
            if self.trading_mode == "futures" and not settle:
                fail("default_pairs", f"{pair!r} is a spot pair but trading_mode is futures; write it as {pair}:{_quote}")
            if self.trading_mode != "futures" and settle:
                fail("default_pairs", f"{pair!r} is a futures pair but trading_mode is {self.trading_mode}; drop ':{settle}'")
        if len(set(self.default_pairs)) != len(self.default_pairs):
            fail("default_pairs", f"{list(self.default_pairs)!r} lists a pair twice")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, camelCase like every tradai result."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            camel = re.sub(r"_([a-z])", lambda m: m[1].upper(), f.name)
            out[camel] = list(value) if isinstance(value, tuple) else value
        return out
