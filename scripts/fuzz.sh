#!/usr/bin/env bash
# Runs every cargo-fuzz target (rust-core/engine/fuzz) for a bounded time each:
#
#   scripts/fuzz.sh [SECONDS]      default 60 s per target; FUZZ_TARGETS="a b" to pick some
#
# Needs the nightly toolchain (rustup) and cargo-fuzz (installed with `cargo install cargo-fuzz`
# when missing). Seeds come from the test corpus (real chains, x509-limbo, badssl, the test
# CAs, the interception CAs); the growing corpus stays in rust-core/engine/fuzz/corpus/ (not
# committed). Builds with AddressSanitizer (FUZZ_SANITIZER=none to skip) and debug assertions
# (overflow checks on).
#
# A crash, OOM or timeout is copied to rust-core/engine/tests/data/fuzz-regressions/<target>/, which
# rust-core/engine/tests/fuzz_regressions.rs replays on every `cargo test`: commit it with the fix.
# Exit status: 0 nothing found, 1 something found, 2 could not run.
set -uo pipefail
cd "$(dirname "$0")/../rust-core/engine"

seconds=${1:-60}
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a number" >&2; exit 2 ;; esac
sanitizer=${FUZZ_SANITIZER:-address}

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz.sh: cargo-fuzz needs a nightly toolchain: rustup toolchain install nightly" >&2
  exit 2
fi
if ! cargo fuzz --version > /dev/null 2>&1; then
  echo "== installing cargo-fuzz" >&2
  cargo install cargo-fuzz || exit 2
fi

targets=${FUZZ_TARGETS:-$(cd fuzz && cargo +nightly fuzz list 2>/dev/null)}
[ -n "$targets" ] || { echo "fuzz.sh: no fuzz targets found" >&2; exit 2; }

# ---- seeds from the test corpus ---------------------------------------------------------------
seeds=fuzz/corpus-seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{der,pem,chain,policy,bundle}
# pin policies: the test policies and every XML/JSON policy fixture
find tests/data/policies -type f \( -name '*.json' -o -name '*.xml' \) -exec cp {} "$seeds/policy/" \;
# bundles: signed payloads and content JSON (the harness seals each input with a test key)
find tests/data/bundles -type f -name '*.json' -exec cp {} "$seeds/bundle/" \;
python3 - "$seeds" <<'PY'
import base64, glob, hashlib, os, re, struct, sys

seeds = sys.argv[1]
pem_re = re.compile(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.S)

def save(kind, data):
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(seeds, kind, name), "wb") as f:
        f.write(data)

files = []
for pattern in ("tests/data/**/*", "tests/test-ca/**/*", "data/interception/certs/*"):
    files += [p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p)]
for path in sorted(files):
    if os.path.getsize(path) > 256 * 1024:
        continue
    data = open(path, "rb").read()
    ders = []
    if path.endswith((".der", ".crt", ".cer")) and data[:1] == b"\x30":
        ders = [data]
    blocks = pem_re.findall(data)
    if blocks:
        save("pem", data[:64 * 1024])
        for b in blocks:
            try:
                ders.append(base64.b64decode(b"".join(b.split())))
            except Exception:
                pass
    for d in ders:
        save("der", d)
    if len(ders) >= 1:
        # the analyze framing: header byte (host "example.com", time 1_700_000_000), then
        # 2-byte length + DER per certificate (see split_chain in tests/fuzz/harness.rs)
        for head in (0b0000_1010, 0b0000_0001):
            framed = bytes([head]) + b"".join(struct.pack(">H", len(d)) + d for d in ders[:8] if len(d) < 65536)
            save("chain", framed)
# a few real chains with their roots appended, leaf first
for chain in sorted(glob.glob("tests/data/real-chains/limbo-online/*.chain.pem")):
    data = open(chain, "rb").read() + open(chain.replace(".chain.", ".root."), "rb").read()
    ders = [base64.b64decode(b"".join(b.split())) for b in pem_re.findall(data)]
    save("chain", bytes([0b0000_1010]) + b"".join(struct.pack(">H", len(d)) + d for d in ders))
for kind in ("der", "pem", "chain", "policy", "bundle"):
    print(f"   seeds {kind}: {len(os.listdir(os.path.join(seeds, kind)))}", file=sys.stderr)
PY

seed_dir() {
  case "$1" in
    parse_pem) echo "$seeds/pem" ;;
    analyze|fast_paths) echo "$seeds/chain" ;;
    pin_policy) echo "$seeds/policy" ;;
    bundle) echo "$seeds/bundle" ;;
    *) echo "$seeds/der" ;;
  esac
}

found=0
summary=()
for t in $targets; do
  echo "== fuzz $t for ${seconds}s" >&2
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  before=$(ls "fuzz/artifacts/$t" | wc -l)
  log="fuzz/artifacts/$t.log"
  (cd fuzz && cargo +nightly fuzz run --sanitizer "$sanitizer" --debug-assertions "$t" \
      "corpus/$t" "../$(seed_dir "$t")" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1) > "$log" 2>&1
  rc=$?
  if grep -q 'failed to build fuzz script' "$log"; then
    echo "fuzz.sh: $t did not build; see rust-core/engine/$log" >&2
    exit 2
  fi
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
  cov=$(grep -E '#[0-9]+.*cov:' "$log" | tail -1 | sed -E 's/.*cov: ([0-9]+).*/\1/')
  new=()
  while IFS= read -r f; do new+=("$f"); done < <(ls -t "fuzz/artifacts/$t" | head -n $(( $(ls "fuzz/artifacts/$t" | wc -l) - before )))
  if [ "${#new[@]}" -gt 0 ] || { [ "$rc" -ne 0 ] && ! grep -q 'Done [0-9]* runs' "$log"; }; then
    found=1
    mkdir -p "tests/data/fuzz-regressions/$t"
    for f in "${new[@]}"; do
      cp "fuzz/artifacts/$t/$f" "tests/data/fuzz-regressions/$t/$f"
      echo "   FOUND: tests/data/fuzz-regressions/$t/$f" >&2
    done
    [ "${#new[@]}" -gt 0 ] || echo "   the run failed without an artifact: see rust-core/engine/$log" >&2
    summary+=("$t: FOUND ${#new[@]} (runs ${runs:-?}, cov ${cov:-?}; log rust-core/engine/$log)")
  else
    summary+=("$t: ok, ${runs:-?} runs in ${seconds}s, coverage ${cov:-?}")
  fi
done

echo
printf '%s\n' "${summary[@]}"
if [ "$found" = 1 ]; then
  echo "Crashing inputs were copied to rust-core/engine/tests/data/fuzz-regressions/; fix, then commit them."
  exit 1
fi
echo "No crash found."
