#!/usr/bin/env bash
# Builds and runs the `qorgan` checker. With no arguments it audits this machine's trust
# store, offline:  scripts/qorgan.sh   (same as: scripts/qorgan.sh audit)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p qorgan-cli
[ $# -eq 0 ] && set -- audit
exec target/release/qorgan "$@"
