#!/usr/bin/env bash
# Frame extraction from a 4-hour video, as VSI-SUPER's longest configs ask (VsiSuperRecall_240mins):
# vframes against VLMEvalKit's decord loop (`vsibench.py` VsiSuperBase.save_video_frames: one
# `vid[i].asnumpy()` per index, all frames held in a list, then PIL saves), for the linspace
# sampler at 128 and 32 frames and the fps sampler at 1 fps (14,400 frames). Wall time and peak
# RSS (GNU time) per run, the median of RUNS runs, ratios against vframes in the same run, and
# vframes' frames decoded against the GOP-aware minimum.
#
# The video is generated once (bench/out/long/): SIZE (default 640x360), 24 fps, H.264 GOP 250
# (x264's default keyint), 3 B-frames, 4 hours (HOURS): a 10-minute segment encoded once, then
# joined HOURS x 6 times with FFmpeg's concat demuxer (stream copy; timestamps run on, so it
# decodes as one 4-hour file; encoding 4 hours of testsrc2 would take most of an hour here). decord's 1 fps run holds every frame in
# memory twice (the numpy arrays, then the PIL images: 14,400 x 640 x 360 x 3 bytes x 2 = 20 GB;
# measured 22.4 GB peak): it is skipped, and says so, unless MemAvailable exceeds that estimate by
# a tenth (DECORD_FPS=1 runs it anyway).
#
# FPS_RUNS (default RUNS) sets the runs of the 1 fps row alone (each decodes all 345,600 frames).
#
# Needs ffmpeg, GNU time; for decord, python3 with decord, pillow and numpy (PYTHON=..., or a
# venv made in bench/out/venv with pip). Usage: bench/vframes-long.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-${RUNS:-3}}
fps_runs=${FPS_RUNS:-$runs}
out=bench/out/long
bin=${VTOOLS_BIN_DIR:-.build/release}
size=${SIZE:-640x360}
hours=${HOURS:-4}
mkdir -p "$out"
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
[ -x "$bin/vframes" ] || swift build -c release >&2

py=${PYTHON:-}
if [ -z "$py" ]; then
  if python3 -c 'import decord, PIL, numpy' 2>/dev/null; then py=python3
  elif [ -x bench/out/venv/bin/python ] && bench/out/venv/bin/python -c 'import decord, PIL, numpy' 2>/dev/null; then py=bench/out/venv/bin/python
  elif python3 -m venv bench/out/venv 2>/dev/null && bench/out/venv/bin/pip -q install decord pillow numpy >/dev/null 2>&1; then py=bench/out/venv/bin/python
  fi
fi
[ -n "$py" ] || echo "bench: decord not available; only vframes is measured" >&2

video=$out/${hours}h_${size}.mp4
if [ ! -s "$video" ]; then
  echo "bench: generating $video (${hours} h of $size at 24 fps; this takes a while)" >&2
  seg=$out/segment_${size}.mp4
  [ -s "$seg" ] || ffmpeg -v error -nostdin -y -f lavfi -i "testsrc2=size=$size:rate=24:duration=600" \
    -c:v libx264 -preset veryfast -crf 28 -g 250 -keyint_min 250 -sc_threshold 0 -bf 3 -pix_fmt yuv420p "$seg"
  for ((i = 0; i < hours * 6; i++)); do echo "file '$(realpath "$seg")'"; done > "$out/concat.txt"
  ffmpeg -v error -nostdin -y -f concat -safe 0 -i "$out/concat.txt" -c copy "$video.tmp.mp4"
  mv "$video.tmp.mp4" "$video"
fi
printf 'index\tvideo\n0\t%s\n' "$(realpath "$video")" > "$out/one.tsv"
avail_kb=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)

# "seconds peak_kib" of one run of a command (output discarded), frames folder emptied first.
measure() {
  rm -rf "$out/frames"; mkdir -p "$out/frames"
  /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" > /dev/null 2> "$out/stderr.txt" || { cat "$out/stderr.txt" >&2; return 1; }
  cat "$out/time.txt"
}

# median of the runs, as "seconds peak_kib"
median_of() {
  local rows=() i n=$runs
  [ "$mode" = fps ] && n=$fps_runs
  for ((i = 0; i < n; i++)); do rows+=("$(measure "$@")"); done
  printf '%s\n' "${rows[@]}" | python3 -c '
import statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
print(f"{statistics.median(r[0] for r in rows):.2f} {statistics.median(r[1] for r in rows):.0f}")'
}

printf '\n| spec | frames | vframes (s) | vframes peak (MiB) | decord (s) | decord peak (MiB) | decord / vframes (time) | decoded / minimum |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for spec in "linspace 128" "linspace 32" "fps 1"; do
  set -- $spec; mode=$1; val=$2
  if [ "$mode" = linspace ]; then vf=(--sampler linspace --nframe "$val"); df=(--linspace "$val"); label="--sampler linspace --nframe $val"
  else vf=(--fps "$val"); df=(--fps "$val"); label="--fps $val"; fi
  read -r vt vm < <(median_of "$bin/vframes" "${vf[@]}" --frame-root "$out/frames" --progress never "$out/one.tsv")
  frames=$(find "$out/frames" -name '*.jpg' | wc -l)
  rm -rf "$out/frames"; mkdir -p "$out/frames"
  st=$("$bin/vframes" "${vf[@]}" --frame-root "$out/frames" --progress never --stats "$out/one.tsv" 2>&1 >/dev/null \
    | grep 'stats: total' | sed -E 's/.*decoded=([0-9]+) minimum=([0-9]+) ratio=([0-9.]+).*/\1 \/ \2 = \3/')
  dt=-; dm=-; ratio=-
  if [ -n "$py" ]; then
    w=${size%x*}; h=${size#*x}
    need_kb=$((frames * w * h * 3 * 2 / 1024 * 11 / 10))
    if [ "$mode" = fps ] && [ "$avail_kb" -lt "$need_kb" ] && [ "${DECORD_FPS:-0}" != 1 ]; then
      echo "bench: decord at $label skipped: it holds every frame twice (~$((need_kb / 1024)) MiB) and $((avail_kb / 1024)) MiB are available (DECORD_FPS=1 runs it)" >&2
    else
      read -r dt dm < <(median_of "$py" bench/decord_ref.py "$video" "$out/frames" "${df[@]}")
      ratio=$(python3 -c "print(f'{$dt / $vt:.1f}x')")
      dm=$((dm / 1024))
    fi
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$frames" "$vt" "$((vm / 1024))" "$dt" "$dm" "$ratio" "$st"
done
echo
echo "bench: medians of $runs runs ($fps_runs at 1 fps); $video ($(du -m "$video" | cut -f1) MiB); machine: $(nproc) CPUs, $(uname -m)" >&2
