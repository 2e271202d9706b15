#!/usr/bin/env bash
# The Python suite (`npm run test:python`): pytest, ruff and mypy over python/, in the engine's venv
# (TRADAI_ENGINE_DIR, default .tradai/engine) with the tools of python/requirements-dev.lock
# installed by `tradai engine setup --dev`. Configuration: python/pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINE="$(realpath -m "${TRADAI_ENGINE_DIR:-.tradai/engine}")"
PY="$ENGINE/bin/python"
if [ ! -x "$PY" ]; then
  echo "test:python: no engine at $ENGINE; run \`node bin/run.js engine setup --dev\` first." >&2
  exit 2
fi
if ! "$PY" -c "import pytest, ruff, mypy" 2>/dev/null; then
  echo "test:python: the engine at $ENGINE lacks pytest/ruff/mypy; run \`node bin/run.js engine setup --dev\`." >&2
  exit 2
fi
cd python
"$PY" -m pytest tests -q
"$PY" -m ruff check .
"$PY" -m mypy .
