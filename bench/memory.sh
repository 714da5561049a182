#!/usr/bin/env bash
# Peak memory of frame extraction on a 4K H.264 video (4 s, GOP 60, 3 B-frames): vframes
# --nframe 8 with 1 and 2 workers against VLMEvalKit's decord + PIL loop and a single-threaded
# ffmpeg decode of the whole file. Peak RSS from GNU time (`/usr/bin/time -v`), median of RUNS runs.
#
# Needs: ffmpeg, GNU time (apt-get install time); for decord, python3 with decord and pillow
# (PYTHON=...). Usage: bench/memory.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-${RUNS:-3}}
out=bench/out/memory
bin=${VTOOLS_BIN_DIR:-.build/release}
mkdir -p "$out"
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
[ -x "$bin/vframes" ] || swift build -c release >&2
py=${PYTHON:-python3}
"$py" -c 'import decord, PIL' 2>/dev/null || { echo "bench: no decord for $py; skipping that baseline (set PYTHON)" >&2; py=; }

video=$out/4k.mp4
[ -s "$video" ] || ffmpeg -v error -nostdin -y -f lavfi -i testsrc2=size=3840x2160:rate=30:duration=4 \
  -c:v libx264 -preset ultrafast -g 60 -bf 3 -pix_fmt yuv420p "$video"
printf 'index\tvideo\n0\t%s\n' "$(realpath "$video")" > "$out/4k.tsv"

# peak KiB of one command, median over the runs
peak() {
  local vals=()
  for ((i = 0; i < runs; i++)); do
    rm -rf "$out/frames"; mkdir -p "$out/frames"
    vals+=("$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')")
  done
  printf '%s\n' "${vals[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'
}

results=$out/results.md
{
  echo "| extractor (4K H.264, 8 frames) | peak RSS MiB (median of $runs) |"
  echo "|---|---:|"
  for j in 1 2; do
    kib=$(peak "$bin/vframes" --nframe 8 -j "$j" --frame-root "$out/frames" --video-root / "$out/4k.tsv")
    echo "| vframes -j $j | $((kib / 1024)) |"
  done
  if [ -n "$py" ]; then
    kib=$(peak "$py" bench/decord_ref.py "$video" "$out/frames" --nframe 8)
    echo "| decord + PIL (VLMEvalKit's loop) | $((kib / 1024)) |"
  fi
  kib=$(peak ffmpeg -v error -nostdin -threads 1 -i "$video" -f null -)
  echo "| ffmpeg -threads 1, decode all to null | $((kib / 1024)) |"
} | tee "$results"
