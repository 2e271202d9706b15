"""Entry point: ``python -m tradai_arctic <operation>``; the request is JSON on stdin."""

from __future__ import annotations

import sys

# The engine's dispatcher and protocol are plain Python: shared, not copied.
from tradai_engine.__main__ import main

OPERATIONS = {
    "versions": "versions",
    "write": "write",
    "read": "read",
    "list": "list_symbols",
}

if __name__ == "__main__":
    # ArcticDB and pandas import before the request is read: tradai starts this process while the
    # engine is still reading the strategy, and sends the request once it knows the symbols.
    import arcticdb  # noqa: F401
    import pandas  # noqa: F401

    sys.exit(main(sys.argv[1:], OPERATIONS, "tradai_arctic.ops"))
