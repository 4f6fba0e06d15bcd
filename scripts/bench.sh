#!/usr/bin/env bash
# Benchmarks (separate from the tests): prints a table and writes target/bench/summary.json.
#
#   scripts/bench.sh            full run (criterion defaults: 3 s warm-up, 5 s per benchmark)
#   scripts/bench.sh --quick    shorter measurements (well under five minutes on 2 cores once
#                               the release and mobile builds are cached)
#
# What it measures:
#   1. Rust, criterion medians (rust-core/bench/benches/engine.rs): analyze_validated on two real
#      3-certificate chains (RSA-2048 leaf: amazon.com; ECDSA P-256 leaf: cloudflare.com, from
#      rust-core/engine/tests/data/real-chains), full analyze with path building (of a chain the engine
#      has not seen, and again with the facts memo warm), a bare rustls-webpki
#      verification of the same chains (what the platform already pays), audit of Mozilla's
#      root set; and the cold start (a fresh process's Engine::new + first analyze, median of
#      several processes; qorgan-bench cold-start).
#   2. JVM (optional): if scripts/bench-jvm.sh exists, it is run as
#        BENCH_JVM_OUT=<absolute path of target/bench/jvm.json> scripts/bench-jvm.sh [--quick]
#      and must write one JSON object there (numbers or null; the jvm_* keys below). Its keys
#      are merged into summary.json (they replace the null placeholders) and shown in the table.
#   3. Size: the mobile-profile cdylib (stripped by the profile), raw and gzip -9.
#   4. Peak RSS (GNU time's %M, else getrusage via python3): `qorgan audit` of Mozilla's roots,
#      and `qorgan check` of 50 host names against a loopback rustls server (qorgan-bench
#      tls-server, test CA local-root; bounded in connections and time, 127.0.0.1 only).
#
# Headline keys: analyze_validated_ns is the slower chain; analyze_ns, webpki_verify_ns,
# analyze_over_webpki and analyze_repeat_ns are the chain with the larger analyze/webpki ratio;
# per-chain keys (..._rsa2048_..., ..._p256_...) are in summary.json too. Each ratio is the
# median of interleaved rounds (qorgan-bench ratio: a block of webpki verifications, then of
# analyze calls, about 5 ms each, per round), so that the machine's drift hits both alike.
# analyze_* is a chain the engine has not seen (facts parsed); analyze_repeat_* the same chain
# again (facts from the engine's memo; path building and signatures every time).
# Honours CARGO_TARGET_DIR (outputs then go to $CARGO_TARGET_DIR/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $a (use --quick)" >&2; exit 2 ;;
  esac
done

tdir=${CARGO_TARGET_DIR:-target}
out=$tdir/bench
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.txt
start_all=$(date +%s)

echo "== build (release: engine, CLI, bench helpers; mobile: cdylib)" >&2
cargo build --quiet --release -p qorgan-cli -p qorgan-bench --bins
cargo bench --quiet -p qorgan-bench --bench engine --no-run 2>/dev/null
# As scripts/build-android.sh builds it: only the cdylib, so that the profile's LTO applies, and
# without the live probe (the phone checkers use the platform's TLS), linked as the phone
# libraries are (scripts/lib/phone-linker: UniFFI's metadata not exported), with their flags
# (scripts/lib/phone-rustflags).
RUSTFLAGS="$("$root/scripts/lib/phone-rustflags")" cargo rustc --quiet --profile mobile -p qorgan-ffi --lib --no-default-features --crate-type cdylib \
  -- -C "linker=$root/scripts/lib/phone-linker"

# ---- 1. criterion --------------------------------------------------------------------------
echo "== criterion" >&2
rm -rf "$tdir/criterion"
if [ "$quick" = 1 ]; then
  crit=(--warm-up-time 1 --measurement-time 2 --sample-size 30)
  cold_runs=11
  ratio_rounds=60
else
  crit=(--warm-up-time 3 --measurement-time 5)
  cold_runs=31
  ratio_rounds=300
fi
cargo bench --quiet -p qorgan-bench --bench engine -- "${crit[@]}" 2>&1 \
  | grep -E '^[a-z_]+/[a-z0-9]+ +time:|^[a-z_]+/[a-z0-9]+$|^ +time:' | tee "$out/criterion.txt" >&2 || true

echo "== analyze / webpki, interleaved ($ratio_rounds rounds per chain)" >&2
for chain in rsa2048 p256; do
  "$tdir"/release/qorgan-bench ratio "$chain" "$ratio_rounds" > "$out/ratio-$chain.txt"
done

echo "== cold start ($cold_runs fresh processes)" >&2
for _ in $(seq "$cold_runs"); do "$tdir"/release/qorgan-bench cold-start analyze; done > "$out/cold-analyze.txt"
for _ in $(seq "$cold_runs"); do "$tdir"/release/qorgan-bench cold-start validated; done > "$out/cold-validated.txt"

# ---- 3. size ---------------------------------------------------------------------------------
lib=$tdir/mobile/libqorgan_ffi.so
cdylib_bytes=$(stat -c %s "$lib")
cdylib_gzip_bytes=$(gzip -9 -c "$lib" | wc -c)
# The profile strips symbols; say so if a non-stripped file ever appears.
if command -v file > /dev/null && ! file "$lib" | grep -q stripped; then
  echo "warning: $lib is not stripped" >&2
fi

# ---- 4. peak memory --------------------------------------------------------------------------
peak_rss_kb() { # CMD... → prints the peak RSS in KB of CMD (its output goes to $out/last-cmd.log)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$out/time.txt" "$@" > "$out/last-cmd.log" 2>&1 || true
    tail -1 "$out/time.txt"
  else
    python3 - "$out/last-cmd.log" "$@" <<'PY'
import resource, subprocess, sys
with open(sys.argv[1], "wb") as log:
    subprocess.run(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
  fi
}

echo "== peak RSS: qorgan audit (Mozilla roots)" >&2
"$tdir"/release/qorgan-bench mozilla-pem "$out/mozilla-roots.pem"
audit_rss=$(peak_rss_kb "$tdir"/release/qorgan audit --json "$out/mozilla-roots.pem")
audited=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["total"])' "$out/last-cmd.log" 2>/dev/null || echo "?")
echo "   audited $audited certificates" >&2

echo "== peak RSS: qorgan check, 50 hosts against a loopback server" >&2
server_log=$out/tls-server.log
"$tdir"/release/qorgan-bench tls-server 200 120 > "$server_log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$server_log" ] && break; sleep 0.05; done
port=$(head -1 "$server_log")
hosts=()
for i in $(seq 50); do hosts+=("host$i.test"); done
check_rss=$(peak_rss_kb "$tdir"/release/qorgan check --json --timeout 10 \
  --connect "127.0.0.1:$port" --trust rust-core/engine/tests/test-ca/local-root/root.pem "${hosts[@]}")
checked=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(sum(1 for x in r if x["verdict"] != "unreachable"), "of", len(r))' "$out/last-cmd.log" 2>/dev/null || echo "?")
echo "   handshakes judged: $checked" >&2
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
trap - EXIT

# ---- 2. JVM (another script, optional) -------------------------------------------------------
jvm_json=""
if [ -x scripts/bench-jvm.sh ]; then
  echo "== JVM (scripts/bench-jvm.sh)" >&2
  jvm_args=()
  [ "$quick" = 1 ] && jvm_args+=(--quick)
  case "$out" in /*) jvm_out=$out/jvm.json ;; *) jvm_out=$root/$out/jvm.json ;; esac
  if BENCH_JVM_OUT="$jvm_out" scripts/bench-jvm.sh "${jvm_args[@]}" >&2; then
    jvm_json=$out/jvm.json
  else
    echo "warning: scripts/bench-jvm.sh failed; jvm_* stay null" >&2
  fi
fi

# ---- summary ---------------------------------------------------------------------------------
elapsed=$(( $(date +%s) - start_all ))
python3 - "$out" "$cdylib_bytes" "$cdylib_gzip_bytes" "$audit_rss" "$check_rss" "$jvm_json" "$elapsed" "$quick" <<'PY'
import json, os, statistics, sys

out, cdylib, cdylib_gz, audit_rss, check_rss, jvm_json, elapsed, quick = sys.argv[1:]

def median_ns(bench):
    path = os.path.join(os.path.dirname(out), "criterion", bench.replace("/", "_"), "new/estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"]

def ints(path):
    with open(path) as f:
        return [int(x) for x in f.read().split()]

def num(s):
    try:
        return int(s)
    except ValueError:
        return None

s = {}
for chain in ("rsa2048", "p256"):
    s[f"analyze_validated_{chain}_ns"] = median_ns(f"analyze_validated/{chain}")
    s[f"analyze_{chain}_ns"] = median_ns(f"analyze/{chain}")
    s[f"webpki_verify_{chain}_ns"] = median_ns(f"webpki_verify/{chain}")
    s[f"analyze_repeat_{chain}_ns"] = median_ns(f"analyze_repeat/{chain}")
    # Ratios from interleaved blocks (qorgan-bench ratio), not from the criterion medians above,
    # which are measured minutes apart on a machine whose speed drifts.
    with open(os.path.join(out, f"ratio-{chain}.txt")) as f:
        first, again = (float(x) for x in f.read().split())
    s[f"analyze_over_webpki_{chain}"] = first
    s[f"analyze_repeat_over_webpki_{chain}"] = again

# analyze_ns and webpki_verify_ns come from the chain with the larger analyze/webpki ratio, so
# that the three headline keys describe one chain.
worst = max(("rsa2048", "p256"), key=lambda c: s[f"analyze_over_webpki_{c}"])
summary = {
    "analyze_validated_ns": max(s["analyze_validated_rsa2048_ns"], s["analyze_validated_p256_ns"]),
    "analyze_ns": s[f"analyze_{worst}_ns"],
    "webpki_verify_ns": s[f"webpki_verify_{worst}_ns"],
    "analyze_over_webpki": s[f"analyze_over_webpki_{worst}"],
    "audit_mozilla_ns": median_ns("audit/mozilla"),
    "analyze_repeat_ns": s[f"analyze_repeat_{worst}_ns"],
    "analyze_repeat_over_webpki": max(s["analyze_repeat_over_webpki_rsa2048"], s["analyze_repeat_over_webpki_p256"]),
    "cold_start_ns": statistics.median(ints(os.path.join(out, "cold-analyze.txt"))),
    "jvm_qorgan_cold_ns": None,
    "jvm_qorgan_warm_ns": None,
    "jvm_okhttp_pinner_ns": None,
    "jvm_over_okhttp_cold": None,
    "jvm_over_okhttp_warm": None,
    "cdylib_bytes": num(cdylib),
    "cdylib_gzip_bytes": num(cdylib_gz),
    "audit_peak_rss_kb": num(audit_rss),
    "check50_peak_rss_kb": num(check_rss),
}
summary.update(s)
summary["cold_start_validated_ns"] = statistics.median(ints(os.path.join(out, "cold-validated.txt")))
jvm_keys = []
if jvm_json:
    with open(jvm_json) as f:
        extra = json.load(f)
    jvm_keys = list(extra)
    summary.update(extra)
summary["bench_quick"] = int(quick)
summary["bench_seconds"] = int(elapsed)
for k, v in summary.items():
    if isinstance(v, float):
        summary[k] = round(v, 3) if abs(v) < 100 else round(v)
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump(summary, f, indent=2)
    f.write("\n")

def us(ns):
    return "n/a" if ns is None else f"{ns / 1000:,.1f} µs"

def ms(ns):
    return "n/a" if ns is None else f"{ns / 1e6:,.2f} ms"

def ratio(x):
    return "n/a" if x is None else f"{x:.2f}×"

def mark(ok):
    return "met" if ok else "MISSED"

S = summary
rows = [
    ("analyze_validated, RSA-2048 chain", us(S["analyze_validated_rsa2048_ns"]), "< 5 µs", mark(S["analyze_validated_rsa2048_ns"] < 5000)),
    ("analyze_validated, P-256 chain", us(S["analyze_validated_p256_ns"]), "< 5 µs", mark(S["analyze_validated_p256_ns"] < 5000)),
    ("analyze, RSA-2048 chain", us(S["analyze_rsa2048_ns"]), "", ""),
    ("webpki verify, RSA-2048 chain", us(S["webpki_verify_rsa2048_ns"]), "", ""),
    ("  analyze / webpki, RSA-2048", ratio(S["analyze_over_webpki_rsa2048"]), "≤ 1.3×", mark(S["analyze_over_webpki_rsa2048"] <= 1.3)),
    ("analyze again (facts memo), RSA-2048", us(S["analyze_repeat_rsa2048_ns"]), "", ""),
    ("  analyze again / webpki, RSA-2048", ratio(S["analyze_repeat_over_webpki_rsa2048"]), "≤ 1.3×", mark(S["analyze_repeat_over_webpki_rsa2048"] <= 1.3)),
    ("analyze, P-256 chain", us(S["analyze_p256_ns"]), "", ""),
    ("webpki verify, P-256 chain", us(S["webpki_verify_p256_ns"]), "", ""),
    ("  analyze / webpki, P-256", ratio(S["analyze_over_webpki_p256"]), "≤ 1.3×", mark(S["analyze_over_webpki_p256"] <= 1.3)),
    ("analyze again (facts memo), P-256", us(S["analyze_repeat_p256_ns"]), "", ""),
    ("  analyze again / webpki, P-256", ratio(S["analyze_repeat_over_webpki_p256"]), "≤ 1.3×", mark(S["analyze_repeat_over_webpki_p256"] <= 1.3)),
    ("audit, Mozilla roots", ms(S["audit_mozilla_ns"]), "", ""),
    ("cold start: Engine::new + first analyze", ms(S["cold_start_ns"]), "< 5 ms", mark(S["cold_start_ns"] < 5e6)),
    ("cold start: Engine::new + first analyze_validated", ms(S["cold_start_validated_ns"]), "", ""),
    ("cdylib (mobile profile, stripped)", f"{S['cdylib_bytes']:,} B", "< 1.8 MB", mark(S["cdylib_bytes"] < 1.8e6)),
    ("cdylib gzip -9", f"{S['cdylib_gzip_bytes']:,} B", "", ""),
    ("peak RSS: qorgan audit (Mozilla roots)", f"{S['audit_peak_rss_kb']:,} KB" if S["audit_peak_rss_kb"] else "n/a", "", ""),
    ("peak RSS: qorgan check, 50 hosts (loopback)", f"{S['check50_peak_rss_kb']:,} KB" if S["check50_peak_rss_kb"] else "n/a", "", ""),
]
for k in ("jvm_qorgan_cold_ns", "jvm_qorgan_warm_ns", "jvm_okhttp_pinner_ns"):
    rows.append((k, us(S.get(k)), "", ""))
for k in ("jvm_over_okhttp_cold", "jvm_over_okhttp_warm"):
    rows.append((k, ratio(S.get(k)), "", ""))
for k in jvm_keys:
    if not k.startswith("jvm_") or k in dict.fromkeys(r[0] for r in rows):
        continue
    if k not in ("jvm_qorgan_cold_ns", "jvm_qorgan_warm_ns", "jvm_okhttp_pinner_ns", "jvm_over_okhttp_cold", "jvm_over_okhttp_warm"):
        rows.append((k, str(S[k]), "", ""))
w = max(len(r[0]) for r in rows)
print(f"{'measure':<{w}}  {'median / value':>16}  {'target':>9}  status")
for name, value, target, status in rows:
    print(f"{name:<{w}}  {value:>16}  {target:>9}  {status}")
print(f"\n{out}/summary.json written ({'quick' if quick == '1' else 'full'} run, {elapsed} s)")
PY
