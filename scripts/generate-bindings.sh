#!/usr/bin/env bash
# Generates bindings/ from the built library (UniFFI library mode, the in-workspace
# uniffi-bindgen pinned to the FFI crate's UniFFI). Never edit bindings/ by hand.
#
#   scripts/generate-bindings.sh           regenerate bindings/
#   scripts/generate-bindings.sh --check   fail if bindings/ differs from what the code generates
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = "--check" ] && check=1

cargo build --quiet -p qorgan-ffi --lib
cargo build --quiet -p uniffi-bindgen
debug="${CARGO_TARGET_DIR:-target}/debug"
lib="$debug/libqorgan_ffi.so"
[ -f "$lib" ] || lib="$debug/libqorgan_ffi.dylib"
bindgen="$debug/uniffi-bindgen"
swiftgen="$debug/uniffi-bindgen-swift"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Kotlin for the JVM (tests, desktop) and for Android (android = true: SystemCleaner, @RequiresApi)
"$bindgen" generate "$lib" --language kotlin --no-format --out-dir "$out/kotlin-jvm" >/dev/null
cat > "$out/android.toml" <<'TOML'
[crates.qorgan_ffi.bindings.kotlin]
package_name = "kz.qorgan.ffi"
cdylib_name = "qorgan_ffi"
android = true
TOML
"$bindgen" generate "$lib" --language kotlin --no-format --config "$out/android.toml" --out-dir "$out/kotlin-android" >/dev/null
# Swift: sources, the C header, and a modulemap whose module is what the Swift code imports
"$swiftgen" "$lib" "$out/swift" --swift-sources >/dev/null
"$swiftgen" "$lib" "$out/swift" --headers >/dev/null
"$swiftgen" "$lib" "$out/swift" --modulemap --module-name QorganFFI --modulemap-filename module.modulemap >/dev/null
rm -f "$out/android.toml"

if [ "$check" = 1 ]; then
  if ! diff -r "$out" bindings >/dev/null 2>&1; then
    diff -r "$out" bindings | head -20 >&2 || true
    echo "bindings/ is stale: run scripts/generate-bindings.sh and commit the result" >&2
    exit 1
  fi
  echo "bindings/ is up to date"
else
  rm -rf bindings
  cp -r "$out" bindings
  chmod -R u+rwX,go+rX bindings
  echo "generated bindings/ from $lib"
fi
