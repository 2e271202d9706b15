"""One module per bridge operation, each with ``run(request: dict) -> dict``."""
