#!/usr/bin/env bash
# Load benchmark of `endstate serve` (not a timed test): wrk on loopback, 64
# connections, for the readiness map and the alerts of the Carana demo, with
# the document cache on and off, against the same query through the CLI, one
# process per request; and a cold burst (64 identical requests at once on a
# server that has cached nothing). Prints a Markdown table (docs/performance.md).
#
#   bench/server_load.sh [BUILD_DIR] [SECONDS]     (default build/release, 20 s)
#
# Needs wrk (Debian package wrk; scripts/install-deps). Only 127.0.0.1 is used.
set -euo pipefail
BUILD=${1:-build/release}
SECONDS_RUN=${2:-20}
BIN=$BUILD/apps/endstate/endstate
CONN=64
[ -x "$BIN" ] || { echo "no $BIN: build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN" demo --out "$WORK/demo" >/dev/null
DB=$WORK/demo/endstate.db
printf 'bench-password-1\n' > "$WORK/pw"
"$BIN" --db "$DB" users add --name bench --role analyst --password-file "$WORK/pw" >/dev/null
LAST=$("$BIN" --db "$DB" status --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_event"][:7])')
MONTH=$(python3 -c "y,m=map(int,'$LAST'.split('-')); t=y*12+m; print(f'{t//12}-{t%12+1:02d}')")

start_server() {  # port cache_mb
  "$BIN" --db "$DB" serve --listen "127.0.0.1:$1" --threads 96 --cache-mb "$2" --quiet 2>"$WORK/serve-$1.log" &
  PIDS+=($!)
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$1/api/health" >/dev/null && return; sleep 0.1; done
  echo "server on port $1 did not start" >&2; cat "$WORK/serve-$1.log" >&2; exit 1
}
token() {
  curl -sf -H 'Content-Type: application/json' -d '{"name":"bench","password":"bench-password-1"}' \
    "http://127.0.0.1:$1/api/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# wrk: requests/s, p50 and p99 latency (ms), errors.
run_wrk() {  # url token
  local out
  out=$(wrk -t2 -c$CONN -d"${SECONDS_RUN}s" --timeout 60s --latency -H "Authorization: Bearer $2" "$1")
  python3 - "$out" <<'PY'
import re, sys
t = sys.argv[1]
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
errs = re.search(r"Socket errors:.*", t)
print(f"{rps:.0f} | {ms('50%'):.1f} | {ms('99%'):.1f} | {int(non2xx.group(1)) if non2xx else 0}{' (' + errs.group(0) + ')' if errs else ''}")
PY
}

# A cold burst: 64 identical requests at once on a fresh server (nothing cached): requests/s over the burst,
# p50 and p99 (of 64: the slowest) latency, errors, and how many the server computed (the rest shared one).
cold_burst() {  # port token path
  python3 - "$1" "$2" "$3" <<'PY'
import statistics, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
port, tok, path = sys.argv[1:]
N = 64
def one(_):
    t = time.perf_counter()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": "Bearer " + tok})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            r.read()
            ok, how = r.status == 200, r.headers.get("X-Endstate-Cache", "")
    except Exception:
        ok, how = False, ""
    return (time.perf_counter() - t) * 1000, ok, how
t0 = time.perf_counter()
with ThreadPoolExecutor(N) as ex:
    res = list(ex.map(one, range(N)))
wall = time.perf_counter() - t0
lat = sorted(r[0] for r in res)
miss = sum(1 for r in res if r[2] == "miss")
print(f"{N / wall:.1f} | {statistics.median(lat):.1f} | {lat[min(N - 1, int(0.99 * N))]:.1f} | "
      f"{sum(1 for r in res if not r[1])} ({miss} of {N} computed)")
PY
}

# The CLI: one process per request, N requests one after the other, then two at a time (2 cores).
run_cli() {  # args...
  python3 - "$BIN" "$DB" "$@" <<'PY'
import subprocess, sys, time, statistics
from concurrent.futures import ThreadPoolExecutor
bin_, db, args = sys.argv[1], sys.argv[2], sys.argv[3:]
def one(_):
    t = time.perf_counter()
    subprocess.run([bin_, "--db", db] + args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000
lat = sorted(one(i) for i in range(20))
t0 = time.perf_counter()
with ThreadPoolExecutor(2) as ex:
    n = len(list(ex.map(one, range(20))))
rps = n / (time.perf_counter() - t0)
p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
print(f"{rps:.1f} | {statistics.median(lat):.1f} | {p99:.1f} | 0")
PY
}

start_server 18181 64
start_server 18182 0
start_server 18183 64
T1=$(token 18181)
T2=$(token 18182)
T3=$(token 18183)
READY="/api/benchmarks/assessment?format=geojson"
ALERTS="/api/alerts?month=$MONTH&format=geojson"

echo "endstate serve load: Carana demo, $CONN connections, ${SECONDS_RUN} s each, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| query | how | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
echo "| readiness map (GeoJSON) | server, cold burst of 64 | $(cold_burst 18183 "$T3" "$READY") |"
echo "| readiness map (GeoJSON) | server, cache on | $(run_wrk "http://127.0.0.1:18181$READY" "$T1") |"
echo "| readiness map (GeoJSON) | server, cache off | $(run_wrk "http://127.0.0.1:18182$READY" "$T2") |"
echo "| readiness map (GeoJSON) | CLI, one process per request | $(run_cli benchmarks assess --no-save --format geojson) |"
echo "| alerts $MONTH (GeoJSON) | server, cold burst of 64 | $(cold_burst 18183 "$T3" "$ALERTS") |"
echo "| alerts $MONTH (GeoJSON) | server, cache on | $(run_wrk "http://127.0.0.1:18181$ALERTS" "$T1") |"
echo "| alerts $MONTH (GeoJSON) | server, cache off | $(run_wrk "http://127.0.0.1:18182$ALERTS" "$T2") |"
echo "| alerts $MONTH (GeoJSON) | CLI, one process per request | $(run_cli alerts --month "$MONTH" --format geojson) |"
