#!/usr/bin/env bash
# vinfer's client efficiency: requests/s and CPU per request against a loopback server with a
# fixed 200 ms latency that only reads each body and answers (bench/fixed_latency_server.py), with
# 8-frame and 64-frame requests of 512-pixel JPEGs, at -j 1, 8 and 64; compared in the same run with
# VLMEvalKit's request loop (PIL re-encode + base64 + requests in a thread pool). Efficiency =
# measured requests/s / (in flight / latency).
# Needs python3 (with pillow and requests for the baseline) and GNU time. Usage: bench/vinfer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VTOOLS_BIN_DIR:-.build/release}
out=bench/out/vinfer
latency=${LATENCY:-0.2}
mkdir -p "$out/frames"
[ -x "$bin/vinfer" ] || swift build -c release >&2
py=${PYTHON:-python3}
baseline=1
$py -c 'import PIL, requests' 2>/dev/null || { echo "bench: $py lacks pillow/requests: no baseline" >&2; baseline=0; }

# 64 frames of 512x288 JPEG (quality 75), as vframes --max-side 512 would write them.
if [ ! -s "$out/frames/f64.jpg" ]; then
  ffmpeg -v error -nostdin -y -f lavfi -i testsrc2=size=512x288:rate=8:duration=8 -q:v 4 "$out/frames/f%d.jpg"
fi

make_prompts() {  # frames count file
  local frames=$1 count=$2 file=$3 items i k
  : > "$file"
  for ((i = 0; i < count; i++)); do
    items='{"type":"text","value":"SYS\n","role":"system"}'
    for ((k = 1; k <= frames; k++)); do items+=",{\"type\":\"image\",\"value\":\"$PWD/$out/frames/f$k.jpg\"}"; done
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

measure() {  # label command... -> prints wall cpu
  local t
  t=$( { /usr/bin/time -f '%e %U %S' "$@" > /dev/null 2> "$out/err"; } 2>&1 | tail -1)
  if ! grep -qE '^[0-9.]+ [0-9.]+ [0-9.]+$' <<<"$t"; then t=$(tail -1 "$out/err"); fi
  echo "$t"
}

printf '\n| frames | -j | requests | tool | req/s | efficiency | CPU ms/request | CPU ratio (python / vinfer) |\n|---|---|---|---|---|---|---|---|\n'
for frames in 8 64; do
  for j in 1 8 64; do
    n=$((j * 8)); [ "$frames" = 64 ] && n=$((j * 4)); [ "$j" = 1 ] && n=10
    make_prompts "$frames" "$n" "$out/p.jsonl"
    ideal=$(awk -v j=$j -v l=$latency 'BEGIN { print j / l }')
    read -r w u s <<<"$(measure "$bin/vinfer" --api-base "$url" --model m -j "$j" --media-root "$PWD" --progress never -q "$out/p.jsonl")"
    vcpu=$(awk -v u=$u -v s=$s -v n=$n 'BEGIN { printf "%.2f", (u + s) * 1000 / n }')
    printf '| %d | %d | %d | vinfer | %.1f | %.0f%% | %s | |\n' "$frames" "$j" "$n" "$(awk -v n=$n -v w=$w 'BEGIN { print n / w }')" \
      "$(awk -v n=$n -v w=$w -v i=$ideal 'BEGIN { print 100 * n / w / i }')" "$vcpu"
    if [ "$baseline" = 1 ]; then
      read -r w2 u2 s2 <<<"$(measure $py bench/vlmeval_request_loop.py "$url/chat/completions" "$out/p.jsonl" "$j")"
      pcpu=$(awk -v u=$u2 -v s=$s2 -v n=$n 'BEGIN { printf "%.2f", (u + s) * 1000 / n }')
      printf '| %d | %d | %d | python loop | %.1f | %.0f%% | %s | %.1fx |\n' "$frames" "$j" "$n" "$(awk -v n=$n -v w=$w2 'BEGIN { print n / w }')" \
        "$(awk -v n=$n -v w=$w2 -v i=$ideal 'BEGIN { print 100 * n / w / i }')" "$pcpu" "$(awk -v a=$pcpu -v b=$vcpu 'BEGIN { print a / b }')"
    fi
  done
done
echo
echo "bench: latency ${latency}s; CPU = user+sys of the client process (the server's CPU is not counted); $(nproc) CPUs" >&2
