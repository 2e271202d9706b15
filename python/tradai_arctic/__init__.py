"""tradai's ArcticDB adapter: moves candles between ArcticDB and Freqtrade's feather files.

It runs in its own environment (.tradai/arctic: ArcticDB needs pandas<3, the engine's Freqtrade
pandas 3) as ``python -m tradai_arctic <operation>``, with the engine's bridge protocol. The
engine never imports ArcticDB; this package never imports Freqtrade.
"""
