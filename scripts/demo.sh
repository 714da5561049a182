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
# Stage 3: answers from the built-in chance backend, appended to answers.jsonl (resumable).
set +e
"$bin/vframes" --nframe 8 --dataset DemoBench --video-root "$LMUData/videos" --video-ext .mp4 \
  --progress never --stats "$LMUData/DemoBench.tsv" 2> "$root/run/vframes.log" |
  "$bin/vprompt" --template mvbench 2> "$root/run/vprompt.log" | tee "$root/run/prompts.jsonl" |
  "$bin/vinfer" --backend chance --seed 0 -o "$root/run/answers.jsonl" --progress never 2> "$root/run/vinfer.log"
status=("${PIPESTATUS[@]}")
set -e
# (the prompts are kept beside the answers, for the report: vinfer's log does not repeat them)
for i in 0 1 3; do
  if [ "${status[$i]}" -ne 0 ]; then
    cat "$root/run/vframes.log" "$root/run/vprompt.log" "$root/run/vinfer.log" >&2
    echo "demo: error: stage $((i == 3 ? 3 : i + 1)) failed (status ${status[$i]})" >&2
    exit "${status[$i]}"
  fi
done
[ "${status[2]}" -eq 0 ] || { echo "demo: error: writing $root/run/prompts.jsonl failed" >&2; exit 74; }
grep 'stats: total' "$root/run/vframes.log" >&2

# Stage 4: the result table, as VLMEvalKit writes it ({model}_{dataset}.xlsx).
"$bin/vmerge" "$root/run/answers.jsonl" --meta "$LMUData/DemoBench.tsv" -o "$root/run/" 2> "$root/run/vmerge.log" || {
  status=$?; cat "$root/run/vmerge.log" >&2; exit $status; }
grep 'wrote' "$root/run/vmerge.log" >&2

# Stage 5: the scores, by MVBench's rules (first option token, then can_infer), parity mode:
# chance_DemoBench_score.xlsx and _rating.json beside the table, the score table on stdout.
"$bin/vscore" "$root/run/chance_DemoBench.xlsx" --dataset DemoBench --rules mvbench > "$root/run/scores.txt" 2> "$root/run/vscore.log" || {
  status=$?; cat "$root/run/vscore.log" >&2; exit $status; }

# Stage 6: the browsable report (overview, chart, every question with its frames and answer).
"$bin/vreport" "$root/run" -o "$root/report" --progress never > /dev/null 2> "$root/run/vreport.log" || {
  status=$?; cat "$root/run/vreport.log" >&2; exit $status; }

end=$(date +%s%N)
cat "$root/run/vinfer.log" >&2
echo
echo "Answers for $(wc -l < "$root/run/answers.jsonl") questions in $root/run/answers.jsonl (chance baseline); the first:"
head -1 "$root/run/answers.jsonl" | sed -E 's/.*"id":"([^"]*)".*"video":"([^"]*)".*"question":"([^"]*)".*"answer":"([^"]*)".*"frame_indices":\[([^]]*)\].*"prediction":"([^"]*)".*/  id=\1 video=\2 frames=[\5]\n  question: \3 (answer: \4)\n  prediction: \6/'
echo
cat "$root/run/scores.txt"
ms=$(((end - start) / 1000000))
printf '\ndemo: done in %d.%03d s. Run `make demo` again: every frame and answer is reused.\n' $((ms / 1000)) $((ms % 1000))
echo "demo: report: $root/report/index.html (open it in a browser; it works offline)"
echo "demo: the same against a real model: make run MODEL=<name> API_BASE=http://host:8000/v1 (see pipelines/Makefile)"

