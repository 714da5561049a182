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
# Stage 2: prompts (MVBench's wording: the questions have candidates and a text answer).
set +e
"$bin/vframes" --nframe 8 --dataset DemoBench --video-root "$LMUData/videos" --video-ext .mp4 \
  --progress never --stats "$LMUData/DemoBench.tsv" 2> "$root/run/vframes.log" |
  "$bin/vprompt" --template mvbench > "$root/run/prompts.jsonl" 2> "$root/run/vprompt.log"
status=("${PIPESTATUS[@]}")
set -e
for i in 0 1; do
  if [ "${status[$i]}" -ne 0 ]; then
    cat "$root/run/vframes.log" "$root/run/vprompt.log" >&2
    echo "demo: error: stage $((i + 1)) failed (status ${status[$i]})" >&2
    exit "${status[$i]}"
  fi
done
grep 'stats: total' "$root/run/vframes.log" >&2

end=$(date +%s%N)
echo
echo "Frames and prompts for $(wc -l < "$root/run/prompts.jsonl") questions in $root/run/prompts.jsonl; the first:"
head -1 "$root/run/prompts.jsonl" | sed -E 's/.*"id":"([^"]*)".*"video":"([^"]*)".*"frame_indices":\[([^]]*)\].*/  id=\1 video=\2 frames=[\3]/'
head -1 "$root/run/prompts.jsonl" | grep -o '"type":"text","value":"Question:[^"]*"' | sed -E 's/"type":"text","value":"//; s/"$//; s/\\n/\n    /g; s/^/    /'
ms=$(((end - start) / 1000000))
printf '\ndemo: done in %d.%03d s. Run `make demo` again: every frame is reused from the cache.\n' $((ms / 1000)) $((ms % 1000))
