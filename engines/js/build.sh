#!/usr/bin/env bash
# Rebuild the JavaScript engine guest (QuickJS through rquickjs, a wasm32-wasip2 component
# of the `preinitialized-agent` world), pre-initialize it (its `wizer-initialize` makes the
# runtime and context and compiles the prelude; `cargo run -p runner --example preinit`
# snapshots that) and copy the snapshot to crates/runner/engines/js.wasm, which is
# committed so that a machine with only rustup can `cargo test` the runner.
#
# The guest builds in $ENGINE_TARGET_DIR (default: engine-js under the workspace's target
# directory); the preinit example builds in the workspace's own target directory, in the
# dev profile the tests use, so CI compiles nothing twice.
#
# rquickjs-sys compiles QuickJS's C with a wasm C compiler: here Debian's clang-14 with
# wasi-libc (through ./wasi-clang, which maps the wasip2 target name to `wasm32-wasi`),
# instead of the wasi-sdk download rquickjs-sys would otherwise attempt
# (RQUICKJS_SYS_NO_WASI_SDK=1). Installs that toolchain with apt-get when it is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

missing=()
command -v clang-14 >/dev/null || missing+=(clang-14)
command -v wasm-ld-14 >/dev/null || missing+=(lld-14)
command -v llvm-ar-14 >/dev/null || missing+=(llvm-14)
[ -e /usr/include/wasm32-wasi/stdio.h ] || missing+=(wasi-libc)
ls /usr/lib/llvm-14/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 \
  || missing+=(libclang-rt-14-dev-wasm32)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update
  $sudo apt-get install -y clang-14 lld-14 llvm-14 wasi-libc libclang-rt-14-dev-wasm32
fi
rustup target add wasm32-wasip2 >/dev/null 2>&1 || true

export RQUICKJS_SYS_NO_WASI_SDK=1
export CC_wasm32_wasip2="$here/wasi-clang"
export AR_wasm32_wasip2=llvm-ar-14
target_dir="${ENGINE_TARGET_DIR:-${CARGO_TARGET_DIR:-$root/target}/engine-js}"
cargo build --release --locked --target wasm32-wasip2 --manifest-path "$here/Cargo.toml" \
  --target-dir "$target_dir"
raw="$target_dir/wasm32-wasip2/release/agentsh_js_engine.wasm"
mkdir -p "$root/crates/runner/engines"
cargo run --quiet --locked --manifest-path "$root/Cargo.toml" -p runner --example preinit -- \
  "$raw" "$root/crates/runner/engines/js.wasm"
ls -l "$raw" "$root/crates/runner/engines/js.wasm"
