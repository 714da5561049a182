#!/usr/bin/env bash
# `make demo`: generate DemoBench, then run the pipeline on it. Rerunning reuses everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VTOOLS_BIN_DIR:-.build/release}
root=${DEMO_DIR:-demo}
export LMUData="$PWD/$root/LMUData"
mkdir -p "$LMUData" "$root/run"

start=$(date +%s%N)
scripts/make-demo-data.sh "$LMUData" 24
echo "demo: dataset $LMUData/DemoBench.tsv ($(($(wc -l < "$LMUData/DemoBench.tsv") - 1)) questions, $(ls "$LMUData/videos" | wc -l) videos)" >&2

# Stage 1: frames (8 per video, VLMEvalKit's nframe rule) into $LMUData/images/DemoBench/.
"$bin/vframes" --nframe 8 --dataset DemoBench --video-root "$LMUData/videos" --video-ext .mp4 \
  --progress never --stats "$LMUData/DemoBench.tsv" > "$root/run/frames.jsonl" 2> "$root/run/vframes.log" || {
  status=$?; cat "$root/run/vframes.log" >&2; exit $status; }
grep 'stats: total' "$root/run/vframes.log" >&2

end=$(date +%s%N)
echo
echo "Extracted frames (first 4 of $(wc -l < "$root/run/frames.jsonl") records, $root/run/frames.jsonl):"
head -4 "$root/run/frames.jsonl" | sed -E 's/.*"id":"([^"]*)".*"video":"([^"]*)".*"frames":\["([^"]*)".*"frame_indices":\[([^]]*)\].*"n_frames":([0-9]+).*/  id=\1 video=\2 n_frames=\5 indices=[\4]\n      first frame: \3/'
ms=$(((end - start) / 1000000))
printf '\ndemo: done in %d.%03d s. Run `make demo` again: every frame is reused from the cache.\n' $((ms / 1000)) $((ms % 1000))
