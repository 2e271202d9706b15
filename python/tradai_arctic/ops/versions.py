"""Versions of the adapter's packages (engine setup --with arcticdb verifies with it)."""

from __future__ import annotations

import sys
from importlib import metadata

PACKAGES = ("arcticdb", "pandas", "pyarrow", "protobuf")


def run(request: dict) -> dict:
    import arcticdb  # noqa: F401 - proves the native library loads, not only that it is installed

    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"python": sys.executable, "pythonVersion": sys.version.split()[0], "packages": versions}
