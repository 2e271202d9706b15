#!/bin/sh
# The image's entrypoint (under tini): any tradai command; `serve` by default.
# The root filesystem may be read-only: scratch space lives on the data volume.
set -eu
app_dir=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
if [ -n "${TMPDIR:-}" ]; then mkdir -p "$TMPDIR"; fi
# exec: tini's child is node itself, so SIGTERM reaches tradai directly.
exec node "$app_dir/bin/run.js" "$@"
