#!/usr/bin/env bash
# The Python suite (`npm run test:python`): pytest, ruff and mypy over python/, in the engine's venv
# (TRADAI_ENGINE_DIR, default .tradai/engine) with the tools of python/requirements-dev.lock
# installed by `tradai engine setup --dev`. Configuration: python/pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINE="$(realpath -m "${TRADAI_ENGINE_DIR:-.tradai/engine}")"
PY="$ENGINE/bin/python"
# `npm test` runs this before vitest (it takes a minute and fails fast): install the engine with its
# dev tools first when this machine has none yet (idempotent, and a no-op when it is installed).
if [ ! -x "$PY" ] || ! "$PY" -c "import pytest, ruff, mypy" 2>/dev/null; then
  if [ ! -d dist/commands ]; then
    echo "test:python: no engine at $ENGINE and no dist/; run \`npm run build && node bin/run.js engine setup --dev\` first." >&2
    exit 2
  fi
  node bin/run.js engine setup --dev
fi
cd python
"$PY" -m pytest tests -q
"$PY" -m ruff check .
"$PY" -m mypy .
