#!/usr/bin/env bash
# vinfer -j auto against a server with a concurrency limit it is not told: a loopback server
# (bench/fixed_latency_server.py) that answers in LATENCY seconds (default 0.2) and refuses with
# 429 any request that arrives while CAPACITY (default 32) are being answered. Throughput
# (requests/s) of fixed -j levels around the capacity and of -j auto (--max-j 256), in the same
# run, median of RUNS runs (default 3); auto's share of the best fixed level is the figure.
# Usage: bench/vinfer-adaptive.sh [CAPACITY] [REQUESTS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VTOOLS_BIN_DIR:-.build/release}
capacity=${1:-32}
n=${2:-2000}
runs=${3:-3}
latency=${LATENCY:-0.2}
out=bench/out/vinfer-adaptive
py=${PYTHON:-python3}
mkdir -p "$out"
[ -x "$bin/vinfer" ] || swift build -c release >&2
for ((i = 0; i < n; i++)); do printf '{"id":"%d","messages":[{"type":"text","value":"Question: q%d"}]}\n' "$i" "$i"; done > "$out/p.jsonl"

rm -f "$out/port" "$out/port.stats"
$py bench/fixed_latency_server.py "$out/port" "$latency" "$capacity" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
while [ ! -s "$out/port" ]; do sleep 0.05; done
url="http://127.0.0.1:$(cat "$out/port")/v1"

run() {  # -j value -> prints "req/s settled"
  local t0 t1 settled
  t0=$(date +%s.%N)
  "$bin/vinfer" --api-base "$url" --model m -j "$1" --max-j 256 --backoff 0.2 --attempts 20 --no-model-check \
    --progress never "$out/p.jsonl" > "$out/answers.jsonl" 2> "$out/err"
  t1=$(date +%s.%N)
  settled=$(sed -n 's/.*settled at \([0-9]*\) requests.*/\1/p' "$out/err")
  [ "$(grep -c '"prediction":"A"' "$out/answers.jsonl")" = "$n" ] || { echo "bench: -j $1 lost answers" >&2; cat "$out/err" >&2; exit 1; }
  awk -v n="$n" -v a="$t0" -v b="$t1" -v s="${settled:--}" 'BEGIN { printf "%.1f %s\n", n / (b - a), s }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '\ncapacity %d, latency %s s, %d requests, median of %d runs\n\n| -j | req/s | settled at |\n|---|---|---|\n' "$capacity" "$latency" "$n" "$runs"
best=0
for j in $((capacity / 2)) $((capacity * 3 / 4)) "$capacity" $((capacity * 2)) auto; do
  rates=() settles=()
  for ((r = 0; r < runs; r++)); do
    read -r rate settled <<<"$(run "$j")"
    rates+=("$rate")
    settles+=("$settled")
  done
  med=$(printf '%s\n' "${rates[@]}" | median)
  printf '| %s | %s | %s |\n' "$j" "$med" "$(IFS=,; echo "${settles[*]}")"
  if [ "$j" = auto ]; then
    awk -v a="$med" -v b="$best" 'BEGIN { printf "\n-j auto reaches %.0f%% of the best fixed level (%s req/s)\n", 100 * a / b, b }'
  elif awk -v a="$med" -v b="$best" 'BEGIN { exit !(a > b) }'; then
    best=$med
  fi
done
