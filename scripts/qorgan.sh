#!/usr/bin/env bash
# Builds and runs the `qorgan` checker. With no arguments it audits this machine's trust
# store, offline:  scripts/qorgan.sh   (same as: scripts/qorgan.sh audit; also with only
# global options: scripts/qorgan.sh --lang kk)
# Runs from the caller's directory, so relative paths in ARGS mean what they say.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${CARGO_TARGET_DIR:-$root/target}/release/qorgan"
if [ -x "$bin" ]; then
  # Rebuilt only when the sources changed; quiet, as it is usually nothing.
  cargo build --quiet --release -p qorgan-cli --manifest-path "$root/Cargo.toml" >&2
else
  echo "qorgan: building the checker (first time only; a few minutes)..." >&2
  cargo build --release -p qorgan-cli --manifest-path "$root/Cargo.toml" >&2
fi
# No command given (nothing, or only global options such as --lang kk): the audit.
command_given=0
for a in "$@"; do
  case "$a" in
  audit | inspect | check | pin | help | -h | --help | -V | --version) command_given=1 ;;
  esac
done
[ "$command_given" = 1 ] || set -- "$@" audit
exec "$bin" "$@"
