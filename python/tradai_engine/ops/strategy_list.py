"""strategy-list: every strategy class in a strategy folder, with the files that cannot load.

Read from the source (strategy_index: no Freqtrade import) unless ``load: true`` asks to import
every file the way Freqtrade's resolver does. Entries the source cannot answer for are imported
one file at a time and say ``source: "import"``.
"""

from __future__ import annotations

from .. import protocol
from ..requests import optional, require


def run(request: dict) -> dict:
    strategy_path = require(request, "strategyPath", str)
    load = optional(request, "load", bool, False)
    if load:
        from ..strategies import discover

        entries = [{**e.to_dict(), "timeframe": getattr(e.cls, "timeframe", None), "parameters": [],
                    "source": "import"} for e in discover(strategy_path)]
    else:
        from ..strategy_index import scan

        entries = [e.to_dict() for e in scan(strategy_path, cached=True)]
    logs = [{"level": "warning", "message": f"{entry['file']}:{entry['error']['line']}: {entry['error']['message']}"}
            for entry in entries if entry["error"]]
    imported = [e["file"] for e in entries if e["source"] == "import"]
    if imported and not load:
        logs.append({"level": "info", "message": f"imported {len(set(imported))} file(s) the source alone could not "
                     f"describe: {', '.join(sorted(set(imported)))}"})
    for line in logs:
        protocol.log(line["level"], line["message"])
    result = {"strategies": entries}
    if not load and not imported:
        # The same request answered again from Node, while nothing it was read from changed.
        from ..strategies import strategy_files
        from ..strategy_list_snapshot import save

        save(strategy_path, [f.resolve() for f in strategy_files(strategy_path)], result, logs)
    return result
