#!/usr/bin/env bash
# Frame extraction: vframes against `ffmpeg -vf select` and VLMEvalKit's decord + PIL loop, on
# generated 2-minute H.264 videos (720p and 360p, GOP 250 and 60, B-frames), for --nframe 8,
# --nframe 64 and --fps 1. Median wall time of RUNS runs (hyperfine), ratios against vframes in
# the same run, and vframes' frames decoded / GOP-aware minimum.
#
# Needs: hyperfine, ffmpeg; for the decord baseline, python3 with decord and pillow (the script
# makes a venv in bench/out/venv with pip when it can). Usage: bench/vframes.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-${RUNS:-5}}
out=bench/out
bin=${VTOOLS_BIN_DIR:-.build/release}
mkdir -p "$out/videos"
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[ -x "$bin/vframes" ] || swift build -c release >&2

py=${PYTHON:-}
if [ -z "$py" ]; then
  if python3 -c 'import decord, PIL' 2>/dev/null; then py=python3
  elif [ -x "$out/venv/bin/python" ] && "$out/venv/bin/python" -c 'import decord, PIL' 2>/dev/null; then py="$out/venv/bin/python"
  elif python3 -m venv "$out/venv" 2>/dev/null && "$out/venv/bin/pip" -q install decord pillow numpy >/dev/null 2>&1; then py="$out/venv/bin/python"
  fi
fi
[ -n "$py" ] && echo "bench: decord baseline with $py (decord $($py -c 'import decord; print(decord.__version__)'))" >&2 \
  || echo "bench: decord not available; skipping that baseline" >&2

videos=()
for spec in "1280x720:250" "1280x720:60" "640x360:250" "640x360:60"; do
  size=${spec%%:*}; gop=${spec##*:}
  v="$out/videos/${size}_gop${gop}.mp4"
  if [ ! -s "$v" ]; then
    echo "bench: generating $v" >&2
    ffmpeg -v error -nostdin -y -f lavfi -i "testsrc2=size=$size:rate=30:duration=120" \
      -c:v libx264 -preset veryfast -g "$gop" -keyint_min "$gop" -sc_threshold 0 -bf 3 -pix_fmt yuv420p "$v.tmp.mp4"
    mv "$v.tmp.mp4" "$v"
  fi
  videos+=("$v")
done

# Indices per spec, computed with VLMEvalKit's formulas (3600 frames at 30 fps).
select_expr() {  # mode value frames fps
  awk -v mode="$1" -v val="$2" -v n="$3" -v fps="$4" 'BEGIN {
    s = ""
    if (mode == "nframe") { step = n / (val + 1); for (i = 1; i <= val; i++) s = s (s ? "+" : "") "eq(n\\," int(i * step) ")" }
    else {
      # FFmpeg cannot parse a sum of 100+ terms; with an integral step, the same selection is a modulo.
      req = int(n / fps * val); step = fps / val
      if (step == int(step)) s = "not(mod(n\\," step "))*lt(n\\," req * step ")"
      else for (i = 0; i < req; i++) s = s (s ? "+" : "") "eq(n\\," int(i * step) ")"
    }
    print s }'
}

printf '\n| video | spec | vframes (s) | ffmpeg select (s) | decord+PIL (s) | ffmpeg / vframes | decord / vframes | decoded / minimum |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for v in "${videos[@]}"; do
  name=$(basename "$v" .mp4)
  printf 'index\tvideo\n0\t%s\n' "$PWD/$v" > "$out/one.tsv"
  for spec in "nframe 8" "nframe 64" "fps 1"; do
    set -- $spec; mode=$1; val=$2
    o="$out/o"
    cmds=(--command-name vframes "$bin/vframes --$mode $val --frame-root $o --progress never $out/one.tsv > /dev/null")
    cmds+=(--command-name ffmpeg "ffmpeg -v error -nostdin -y -i $v -vf \"select='$(select_expr "$mode" "$val" 3600 30)'\" -vsync 0 -q:v 3 $o/out%d.jpg")
    [ -n "$py" ] && cmds+=(--command-name decord "$py bench/decord_ref.py $v $o --$mode $val")
    hyperfine --style none --warmup 1 --runs "$runs" --prepare "rm -rf $o && mkdir -p $o" \
      --export-json "$out/$name-$mode$val.json" "${cmds[@]}" > /dev/null
    rm -rf "$o"; mkdir -p "$o"
    st=$("$bin/vframes" --$mode "$val" --frame-root "$o" --progress never --stats "$out/one.tsv" 2>&1 >/dev/null | grep 'stats: total' | sed -E 's/.*decoded=([0-9]+) minimum=([0-9]+) ratio=([0-9.]+).*/\1 \/ \2 = \3/')
    python3 - "$out/$name-$mode$val.json" "$name" "$mode $val" "$st" <<'PY'
import json, statistics, sys
res = {r["command"]: statistics.median(r["times"]) for r in json.load(open(sys.argv[1]))["results"]}
v = res["vframes"]; f = res.get("ffmpeg"); d = res.get("decord")
fmt = lambda x: f"{x:.3f}" if x is not None else "-"
ratio = lambda x: f"{x / v:.2f}x" if x is not None else "-"
print(f"| {sys.argv[2]} | {sys.argv[3]} | {fmt(v)} | {fmt(f)} | {fmt(d)} | {ratio(f)} | {ratio(d)} | {sys.argv[4]} |")
PY
  done
done
echo
echo "bench: medians of $runs runs; machine: $(nproc) CPUs, $(uname -m); raw data in $out/*.json" >&2
