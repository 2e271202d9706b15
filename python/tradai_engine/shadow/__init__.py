"""Shadow trading: Freqtrade's own dry-run bot (Worker/FreqtradeBot) on a replayed market.

feed.py serves candles, ticker and order book from user_data candles as of a virtual time;
clock.py is that virtual time (time-machine), advanced by the bot's own throttle; session.py
keeps the session folder's runtime state; bot.py drives the Worker; trades.py reads the bot's
own trade database back (trades, orders and Freqtrade's stats).
"""
