"""Live shadow trading on a demo account (shadow/demo.py): which exchanges, the config switched to
the demo account, and the keys only in the bot's environment, never in the written config."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradai_engine.ft_config import build_config
from tradai_engine.protocol import BridgeError
from tradai_engine.shadow import bot
from tradai_engine.shadow.demo import apply_demo, demo_exchanges, keys_source

KEY, SECRET = "demoKeyABCDEFGH1234", "demoSecretXYZ987654321"


class Plain:
    timeframe = "5m"
    strategy_metadata = {"default_pairs": ["BTC/USDT"]}


def live_config(tmp_path: Path, exchange: str) -> dict:
    request = {"userDataDir": str(tmp_path), "runDir": str(tmp_path / "session"), "exchange": exchange, "stakeAmount": 50}
    base = build_config(request, Plain, tmp_path / "plain.py")
    return bot.trade_config(base, tmp_path, 18080, 5, live=True)


def test_freqtrade_supports_demo_trading_on_bybit_only():
    # Freqtrade 2026.9: the exchange classes flagged supports_demo_trading that its resolver loads.
    assert demo_exchanges() == ["bybit"]


def test_an_exchange_without_demo_trading_is_usage_naming_the_supported(tmp_path, monkeypatch):
    monkeypatch.setenv("FREQTRADE__EXCHANGE__KEY", KEY)
    monkeypatch.setenv("FREQTRADE__EXCHANGE__SECRET", SECRET)
    with pytest.raises(BridgeError) as caught:
        apply_demo(live_config(tmp_path, "binance"))
    assert caught.value.code == "USAGE"
    assert "binance has no demo trading" in caught.value.message and "bybit" in caught.value.message


def test_no_keys_in_the_environment_is_usage(tmp_path, monkeypatch):
    monkeypatch.delenv("FREQTRADE__EXCHANGE__KEY", raising=False)
    monkeypatch.delenv("FREQTRADE__EXCHANGE__SECRET", raising=False)
    with pytest.raises(BridgeError) as caught:
        apply_demo(live_config(tmp_path, "bybit"))
    assert "FREQTRADE__EXCHANGE__KEY" in caught.value.message and "tradai credentials set bybit" in (caught.value.hint or "")
    assert keys_source() == "none"


def test_keys_reach_freqtrade_from_the_environment_and_never_the_written_config(tmp_path, monkeypatch):
    monkeypatch.setenv("FREQTRADE__EXCHANGE__KEY", KEY)
    monkeypatch.setenv("FREQTRADE__EXCHANGE__SECRET", SECRET)
    config = apply_demo(live_config(tmp_path, "bybit"))
    assert config["exchange"]["demo_trading"] is True
    assert config["dry_run"] is False  # Freqtrade refuses demo_trading with dry_run
    file = tmp_path / "config.json"
    bot.write_json(file, config)
    text = file.read_text(encoding="utf-8")
    assert KEY not in text and SECRET not in text
    # Freqtrade's own loading merges FREQTRADE__EXCHANGE__* into the config it trades with.
    loaded = bot.load_config(file)
    assert loaded["exchange"]["key"] == KEY and loaded["exchange"]["secret"] == SECRET
    assert loaded["exchange"]["demo_trading"] is True and loaded["dry_run"] is False
    assert keys_source() == "environment"
