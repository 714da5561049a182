#!/usr/bin/env bash
# Video-MME-v2 resize parity: vtools' LANCZOS resampler against Pillow's Image.resize(LANCZOS) on
# the same RGB24 frames (ffmpeg-decoded frames of generated 2-second videos: 1920x1080, 1280x720,
# 854x480, 640x360, portrait 720x1280, 480x854 and 480x1080 (resampled vertically first by Pillow
# 13), and a 320x240 that is enlarged), before JPEG;
# then vframes --resize-area 200704 against PIL's resize + save of the same frames, with vframes'
# unresized JPEGs against PIL's save as the baseline of the JPEG path.
#
# The Swift side runs as a test (LanczosTests.matchesPillowOnTheBenchFrames, enabled by
# VTOOLS_LANCZOS_DIR), which writes NAME.vtools.rgb next to Pillow's NAME.pil.rgb and fails if a
# byte differs by more than 1. Needs ffmpeg, a built test bundle (swift build --build-tests) and
# vframes, and python3 with Pillow and numpy (PYTHON=..., default /work/venv-vlm/bin/python if
# present). Usage: bench/resize-parity.sh > bench/results/resize-parity-DATE.md
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/resize-parity
bin=${VTOOLS_BIN_DIR:-.build/debug}
py=${PYTHON:-}
[ -n "$py" ] || { [ -x /work/venv-vlm/bin/python ] && py=/work/venv-vlm/bin/python || py=python3; }
"$py" -c 'import PIL, numpy' || { echo "bench: needs python3 with Pillow and numpy (PYTHON=...)" >&2; exit 1; }
[ -x "$bin/vframes" ] || { echo "bench: build first (swift build --build-tests)" >&2; exit 1; }
rm -rf "$out/frames" "$out/cache"
mkdir -p "$out/videos" "$out/frames"
videos=()
for size in 1920x1080 1280x720 854x480 640x360 720x1280 480x854 480x1080 320x240; do
  v="$out/videos/$size.mp4"
  if [ ! -s "$v" ]; then
    ffmpeg -v error -nostdin -y -f lavfi -i "testsrc2=size=$size:rate=30:duration=2" \
      -c:v libx264 -preset veryfast -pix_fmt yuv420p "$v.tmp.mp4"
    mv "$v.tmp.mp4" "$v"
  fi
  videos+=("$v")
done
"$py" bench/resize_parity.py prepare "$out/frames" "${videos[@]}"
VTOOLS_LANCZOS_DIR="$PWD/$out/frames" swift test --skip-build --filter 'LanczosTests/matchesPillowOnTheBenchFrames' >"$out/swift-test.log" 2>&1 \
  || { echo "bench: the Swift resampler test failed (see $out/swift-test.log)" >&2; tail -20 "$out/swift-test.log" >&2; }
grep -q "matchesPillowOnTheBenchFrames() passed" "$out/swift-test.log" || echo "bench: warning: the Swift test did not pass" >&2
printf 'index\tvideo\n' >"$out/in.tsv"
for v in "${videos[@]}"; do printf '%s\t%s\n' "$(basename "$v" .mp4)" "$PWD/$v" >>"$out/in.tsv"; done
rm -rf "$out/cache"
"$bin/vframes" -q --nframe 3 --resize-area 200704 --dataset parity --frame-root "$out/cache" "$out/in.tsv" >"$out/records.jsonl"
"$bin/vframes" -q --nframe 3 --dataset parity-plain --frame-root "$out/cache" "$out/in.tsv" >"$out/plain.jsonl"
echo "# Resize parity ($(date -u +%Y-%m-%d), $(git rev-parse --short HEAD))"
echo
echo "bench/resize-parity.sh; ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3)."
"$py" bench/resize_parity.py report "$out/frames" "$out/records.jsonl" "$out/plain.jsonl"
