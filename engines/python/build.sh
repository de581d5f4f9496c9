#!/usr/bin/env bash
# Rebuild the Python engine guest (CPython 3.14 through componentize-py, a component of
# the `agent` world) and copy it, gzip-compressed, to crates/runner/engines/python.wasm.gz,
# which is committed so that a machine with only rustup can `cargo test` the runner (the
# runner decompresses it with flate2 on first use).
#
# componentize-py comes from PyPI, pinned, in a virtual environment at ./.venv (ignored by
# git); it needs python3 (3.9 or newer) with venv. It runs src/agentsh_engine.py's top
# level once and snapshots the interpreter into the component: see that file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version=0.25.1

venv="$here/.venv"
if [ ! -x "$venv/bin/componentize-py" ] \
  || [ "$("$venv/bin/componentize-py" --version 2>/dev/null)" != "componentize-py $version" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "componentize-py==$version"
fi

build="${CARGO_TARGET_DIR:-$here/target}/python-engine"
mkdir -p "$build"
# Build-time bytecode caches must not land in the source tree.
export PYTHONDONTWRITEBYTECODE=1
"$venv/bin/componentize-py" -d "$root/wit" -w agent componentize agentsh_engine \
  -p "$here/src" -o "$build/python.wasm"
mkdir -p "$root/crates/runner/engines"
gzip -9 -n -c "$build/python.wasm" > "$root/crates/runner/engines/python.wasm.gz"
ls -l "$build/python.wasm" "$root/crates/runner/engines/python.wasm.gz"
