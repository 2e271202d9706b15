"""One module per adapter operation, each with ``run(request: dict) -> dict``."""
