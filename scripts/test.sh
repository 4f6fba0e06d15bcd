#!/usr/bin/env bash
# Runs every test: Rust (engine, CLI, corpora), the bindings staleness check, Kotlin on a real
# JVM, the Android-only Kotlin on the Android framework (Robolectric), Swift with a real
# compiler, the Android native libraries, AAR and checker APK and the iOS static library (built,
# then checked).
# Installs what it needs (scripts/install-toolchains.sh caches it under ~/.cache/qorgan).
# Last line: "N passed, N failed".
#
#   scripts/test.sh            everything
#   scripts/test.sh --rust     Rust only
set -uo pipefail
cd "$(dirname "$0")/.."
only_rust=0
[ "${1:-}" = "--rust" ] && only_rust=1

passed=0
failed=0
failures=()

count_cargo() { # log file → adds the counts of every "test result:" line
  local p f
  p=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed/) s += $i } END { print s + 0 }' "$1")
  f=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed/) s += $i } END { print s + 0 }' "$1")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

count_last_line() { # log file → adds "N passed, N failed" from the suite's last line
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  if [ -z "$line" ]; then
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
  failed=$((failed + $(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')))
}

# On CI (a clean checkout, built once) incremental compilation only costs disk: its caches were a
# third of target/ (4 GB).
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

logs=target/test-logs
mkdir -p "$logs"

# The probe tests (Rust and Kotlin) serve weak chains (RSA-1024, SHA-1) with `openssl s_server`.
if ! command -v openssl >/dev/null 2>&1; then
  echo "== installing openssl (the probe tests' weak-chain servers)"
  if command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && apt-get install -y -qq openssl; } >/dev/null 2>&1 || echo "could not install openssl"
  fi
fi

echo "== Rust: engine, CLI, corpora"
if cargo test --workspace --exclude uniffi-bindgen 2>&1 | tee "$logs/rust.log" | grep -E '^(test result|failures:|---- )'; then :; fi
[ "${PIPESTATUS[0]}" -eq 0 ] || failures+=("rust")
count_cargo "$logs/rust.log"

echo "== Rust formatting (cargo fmt --all --check)"
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt >/dev/null 2>&1 || true
if cargo fmt --all --check > "$logs/fmt.log" 2>&1; then
  passed=$((passed + 1)); echo "formatted"
else
  failed=$((failed + 1)); failures+=("fmt"); grep '^Diff in' "$logs/fmt.log" | head -5
  echo "run: cargo fmt --all"
fi

if [ "$only_rust" = 0 ]; then
  echo "== bindings/ up to date"
  if scripts/generate-bindings.sh --check > "$logs/bindings.log" 2>&1; then
    passed=$((passed + 1)); tail -1 "$logs/bindings.log"
  else
    failed=$((failed + 1)); failures+=("bindings"); tail -5 "$logs/bindings.log"
  fi
  echo "== checker app strings: iOS sample in step with Android's strings.xml"
  if python3 scripts/checker-strings.py --check > "$logs/checker-strings.log" 2>&1; then
    passed=$((passed + 1)); tail -1 "$logs/checker-strings.log"
  else
    failed=$((failed + 1)); failures+=("checker-strings"); tail -5 "$logs/checker-strings.log"
  fi
  # kotlin: the JVM part of the Android library; robolectric: scripts/test-android.sh, the
  # Android-only Kotlin compiled against the Android API and run on Robolectric (the trust
  # manager, res/xml policies, Android's own NSC parser against Qorgan's).
  for suite in kotlin robolectric swift; do
    script="scripts/test-$suite.sh"
    [ "$suite" = robolectric ] && script=scripts/test-android.sh
    echo "== $suite"
    if [ -x "$script" ]; then
      "$script" > "$logs/$suite.log" 2>&1
      rc=$?
      tail -3 "$logs/$suite.log"
      count_last_line "$logs/$suite.log"
      [ "$rc" -eq 0 ] || failures+=("$suite")
    fi
  done

  # The phone libraries for arm64-v8a, armeabi-v7a and x86_64, built without an NDK (zig and a
  # sysroot generated from platform/android-bionic) and checked as Android loads them. The build
  # counts as one test, the checks as theirs.
  echo "== android native libraries"
  start=$SECONDS
  # On CI each triple's build directory goes once its library is out (about 1 GB in all).
  prune=()
  if [ -n "${CI:-}" ]; then prune=(--prune); fi
  if scripts/build-android.sh --native "${prune[@]}" > "$logs/android-build.log" 2>&1; then
    passed=$((passed + 1)); grep -E 'bytes \(|built in' "$logs/android-build.log" | sed 's/^build-android: //'
  else
    failed=$((failed + 1)); failures+=("android-build"); tail -15 "$logs/android-build.log"
  fi
  scripts/check-android-libs.sh > "$logs/android.log" 2>&1
  rc=$?
  grep '^FAIL' "$logs/android.log" | head -10
  tail -1 "$logs/android.log"
  count_last_line "$logs/android.log"
  [ "$rc" -eq 0 ] || failures+=("android")
  # The AAR (and its POM) and the checker APK, packed from those libraries by hand without the
  # Android SDK (one test), then checked: apksigner, aapt, the zips' contents.
  if scripts/package-android.sh > "$logs/android-package.log" 2>&1; then
    passed=$((passed + 1)); grep -E ': wrote ' "$logs/android-package.log" | sed 's/^package-android: //'
  else
    failed=$((failed + 1)); failures+=("android-package"); tail -15 "$logs/android-package.log"
  fi
  scripts/check-android-packages.sh > "$logs/android-packages.log" 2>&1 || failures+=("android-packages")
  grep '^FAIL' "$logs/android-packages.log" | head -10
  tail -1 "$logs/android-packages.log"
  count_last_line "$logs/android-packages.log"
  # The phones ship without the live probe, but the crate offers it (default features): it must
  # compile for Android too (cargo check, one test).
  if scripts/build-android.sh --check-default-features "${prune[@]}" > "$logs/android-features.log" 2>&1; then
    passed=$((passed + 1)); echo "default features (live probe) compile for the three ABIs"
  else
    failed=$((failed + 1)); failures+=("android-features"); grep -E '^error' "$logs/android-features.log" | head -5
  fi
  echo "(android: $((SECONDS - start)) s)"

  # The iOS device library (aarch64-apple-ios, zig as ring's C compiler) packed into an
  # xcframework by hand, checked without Apple's tools (Mach-O platform/minos, exports against
  # QorganFFI.h, imports, Info.plist). The build counts as one test, the checks as theirs. A
  # missing tool (zig, the Rust target, llvm-nm) skips the section here, but fails it on CI.
  echo "== ios static library"
  start=$SECONDS
  prune=()
  if [ -n "${CI:-}" ]; then prune=(--prune); fi
  QORGAN_IOS_SKIP_BINDINGS_CHECK=1 scripts/build-ios.sh "${prune[@]}" > "$logs/ios-build.log" 2>&1
  rc=$?
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1)); grep -E '^\[build-ios\] (.*: built in|ios-arm64:|skipped:)' "$logs/ios-build.log" | sed 's/^\[build-ios\] //'
    scripts/check-ios-lib.sh > "$logs/ios.log" 2>&1
    rc=$?
    grep '^FAIL' "$logs/ios.log" | head -10
    tail -1 "$logs/ios.log"
    count_last_line "$logs/ios.log"
    [ "$rc" -eq 0 ] || failures+=("ios")
  elif [ "$rc" -eq 3 ] && [ -z "${CI:-}" ]; then
    tail -2 "$logs/ios-build.log"
    echo "skipped: a tool could not be installed (see $logs/ios-build.log)"
  else
    failed=$((failed + 1)); failures+=("ios-build"); tail -15 "$logs/ios-build.log"
  fi
  echo "(ios: $((SECONDS - start)) s)"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "FAILED: ${failures[*]} (logs in $logs/)"
fi
echo "$passed passed, $failed failed"
[ ${#failures[@]} -eq 0 ] && [ "$failed" -eq 0 ]
