#!/usr/bin/env bash
# vinfer's client efficiency: requests/s and CPU per request against a loopback server with a
# fixed 200 ms latency that only reads each body and answers (bench/fixed_latency_server.py), with
# 8-frame and 64-frame requests of 512-pixel JPEGs, at -j 1, 8 and 64; compared in the same run with
# VLMEvalKit's request loop (PIL re-encode + base64 + requests in a thread pool). Efficiency =
# measured requests/s / (in flight / latency). The -j 64 rows are also run with frames that no
# two records share ("distinct": hard links, so every frame is read and encoded anew). At -j 64
# each of the 64 slots answers WAVES requests (default 32 with 8 frames, 16 with 64), so that the
# run's fixed cost (process start, connection set-up, the last wave) weighs little; the
# 2026-11-25 results used 8 and 4.
#
# The server runs on the same CPUs as the client: its CPU per request (it reads every body) is
# shown beside the client's, since on a small machine it competes with the client.
#
# Environment: VTOOLS_BIN_DIR (default .build/release); BASE_BIN_DIR, another build's directory
# whose vinfer is measured in the same run (before/after); RUNS (default 1) runs of each row, the
# median shown; BASELINE=0 skips the Python loop; LATENCY (default 0.2); WAVES.
# Needs python3 (with pillow and requests for the baseline) and GNU time. Usage: bench/vinfer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VTOOLS_BIN_DIR:-.build/release}
base=${BASE_BIN_DIR:-}
out=bench/out/vinfer
latency=${LATENCY:-0.2}
runs=${RUNS:-1}
mkdir -p "$out/frames"
[ -x "$bin/vinfer" ] || swift build -c release >&2
py=${PYTHON:-python3}
baseline=${BASELINE:-1}
if [ "$baseline" = 1 ] && ! $py -c 'import PIL, requests' 2>/dev/null; then
  echo "bench: $py lacks pillow/requests: no baseline" >&2
  baseline=0
fi

# 64 frames of 512x288 JPEG (quality 75), as vframes --max-side 512 would write them.
if [ ! -s "$out/frames/f64.jpg" ]; then
  ffmpeg -v error -nostdin -y -f lavfi -i testsrc2=size=512x288:rate=8:duration=8 -q:v 4 "$out/frames/f%d.jpg"
fi

make_prompts() {  # frames count file [distinct]
  local frames=$1 count=$2 file=$3 distinct=${4:-0} items i k f
  : > "$file"
  local dir=$PWD/$out/frames
  if [ "$distinct" = 1 ]; then rm -rf "$out/distinct"; mkdir -p "$out/distinct"; fi
  for ((i = 0; i < count; i++)); do
    if [ "$distinct" = 1 ]; then cp -al "$out/frames" "$out/distinct/r$i"; dir=$PWD/$out/distinct/r$i; fi
    items='{"type":"text","value":"SYS\n","role":"system"}'
    for ((k = 1; k <= frames; k++)); do items+=",{\"type\":\"image\",\"value\":\"$dir/f$k.jpg\"}"; done
    items+=",{\"type\":\"text\",\"value\":\"Question: q$i\"}"
    printf '{"id":"%d","messages":[%s]}\n' "$i" "$items" >> "$file"
  done
}

rm -f "$out/port"
$py bench/fixed_latency_server.py "$out/port" "$latency" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
while [ ! -s "$out/port" ]; do sleep 0.05; done
url="http://127.0.0.1:$(cat "$out/port")/v1"

server_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
tick=$(getconf CLK_TCK)

measure() {  # command... -> prints "wall user sys server-cpu-seconds"
  local t s0 s1
  s0=$(server_ticks)
  t=$( { /usr/bin/time -f '%e %U %S' "$@" > /dev/null 2> "$out/err"; } 2>&1 | tail -1)
  s1=$(server_ticks)
  if ! grep -qE '^[0-9.]+ [0-9.]+ [0-9.]+$' <<<"$t"; then t=$(tail -1 "$out/err"); fi
  echo "$t $(awk -v a="$s0" -v b="$s1" -v t="$tick" 'BEGIN { print (b - a) / t }')"
}

# row frames j n label command... : RUNS runs, the median run (by req/s) shown.
row() {
  local frames=$1 j=$2 n=$3 label=$4 r line
  shift 4
  local ideal lines=()
  ideal=$(awk -v j="$j" -v l="$latency" 'BEGIN { print j / l }')
  for ((r = 0; r < runs; r++)); do
    read -r w u s sv <<<"$(measure "$@")"
    lines+=("$(awk -v n="$n" -v w="$w" -v u="$u" -v s="$s" -v sv="$sv" -v i="$ideal" \
      'BEGIN { printf "%.1f %.0f%% %.2f %.2f", n / w, 100 * n / w / i, (u + s) * 1000 / n, sv * 1000 / n }')")
  done
  line=$(printf '%s\n' "${lines[@]}" | sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }')
  read -r rate eff cpu scpu <<<"$line"
  printf '| %s | %d | %d | %s | %s | %s | %s | %s |\n' "$frames" "$j" "$n" "$label" "$rate" "$eff" "$cpu" "$scpu"
  [ "$j" = 64 ] && [ "$label" = vinfer ] && summary+=("$frames frames, -j 64: $eff of the ideal, $cpu ms CPU/request")
  return 0
}

summary=()
printf '\n| frames | -j | requests | client | req/s | efficiency | client CPU ms/request | server CPU ms/request |\n|---|---|---|---|---|---|---|---|\n'
for frames in 8 64 "8 distinct" "64 distinct"; do
  set -- $frames
  distinct=0; [ "${2:-}" = distinct ] && distinct=1
  for j in 1 8 64; do
    [ "$distinct" = 1 ] && [ "$j" != 64 ] && continue
    n=$((j * 8)); [ "$1" = 64 ] && n=$((j * 4)); [ "$j" = 1 ] && n=10
    if [ "$j" = 64 ]; then n=$((j * ${WAVES:-32})); [ "$1" = 64 ] && n=$((j * ${WAVES:-16})); fi
    make_prompts "$1" "$n" "$out/p.jsonl" "$distinct"
    args=(--api-base "$url" --model m -j "$j" --media-root "$PWD" --progress never -q "$out/p.jsonl")
    row "$frames" "$j" "$n" vinfer "$bin/vinfer" "${args[@]}"
    [ -n "$base" ] && row "$frames" "$j" "$n" "vinfer (base)" "$base/vinfer" "${args[@]}"
    if [ "$baseline" = 1 ] && [ "$distinct" = 0 ]; then
      row "$frames" "$j" "$n" "python loop" $py bench/vlmeval_request_loop.py "$url/chat/completions" "$out/p.jsonl" "$j"
    fi
  done
done
echo
printf '%s\n' "${summary[@]}"
echo "bench: latency ${latency}s; median of $runs run(s); client CPU = user+sys of the client process, server CPU = the loopback server's; $(nproc) CPUs; load $(uptime | sed 's/.*load average: //')" >&2
