#!/usr/bin/env bash
# Rebuild the JavaScript engine guest (QuickJS through rquickjs, a wasm32-wasip2 component
# of the `agent` world) and copy it to crates/runner/engines/js.wasm, which is committed
# so that a machine with only rustup can `cargo test` the runner.
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
target_dir="${CARGO_TARGET_DIR:-$here/target}"
cargo build --release --locked --target wasm32-wasip2 --manifest-path "$here/Cargo.toml" \
  --target-dir "$target_dir"
mkdir -p "$root/crates/runner/engines"
cp "$target_dir/wasm32-wasip2/release/agentsh_js_engine.wasm" "$root/crates/runner/engines/js.wasm"
ls -l "$root/crates/runner/engines/js.wasm"
