#!/usr/bin/env bash
# Runs the demo pipeline (and a few presets) with two builds of the tools and says whether every
# record, table and score file is byte-identical: the check for a refactor that must not change
# any output. Usage: scripts/compare-outputs.sh OLD_BIN_DIR NEW_BIN_DIR [WORK_DIR]
# Both runs use the same folder (frame paths and request hashes include it); vinfer's
# started_at and latency_ms are left out of the comparison (they differ on every run).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 OLD_BIN_DIR NEW_BIN_DIR [WORK_DIR]" >&2; exit 64; }
old=$(cd "$1" && pwd); new=$(cd "$2" && pwd)
work=${3:-$(mktemp -d)}
run() {  # bin out
  local bin=$1 out=$2
  rm -rf "$work/run"; mkdir -p "$work/run"
  local r=$work/run
  export LMUData="$r/LMUData"
  scripts/make-demo-data.sh "$LMUData" 24 > /dev/null
  "$bin/vframes" --nframe 8 --dataset DemoBench --video-root "$LMUData/videos" --video-ext .mp4 --progress never \
    "$LMUData/DemoBench.tsv" > "$r/frames.jsonl" 2> /dev/null
  "$bin/vprompt" --template mvbench < "$r/frames.jsonl" > "$r/prompts.jsonl"
  "$bin/vinfer" --backend chance --seed 0 -o "$r/answers.jsonl" --progress never < "$r/prompts.jsonl" > /dev/null 2>&1
  "$bin/vmerge" "$r/answers.jsonl" --meta "$LMUData/DemoBench.tsv" -o "$r/" 2> /dev/null
  "$bin/vscore" "$r/chance_DemoBench.xlsx" --dataset DemoBench --rules mvbench > "$r/scores.txt" 2> /dev/null
  for p in MVBench_8frame MLVU_8frame Video-MME_8frame WorldSense_8frame LongVideoBench_8frame MMBench_Video_8frame_pack; do
    "$bin/vprompt" --preset "$p" < "$r/frames.jsonl" > "$r/prompt-$p.jsonl" 2> /dev/null || true
  done
  "$bin/vprompt" --list-presets > "$r/presets.txt"
  "$bin/vscore" "$r/chance_DemoBench.xlsx" --preset MVBench_8frame --no-files > "$r/scores-preset.txt" 2> /dev/null || true
  "$bin/vscore" "$r/chance_DemoBench.xlsx" --dataset DemoBench --rules mcq --no-files > "$r/scores-mcq.txt" 2> /dev/null || true
  sed -E 's/"started_at":"[^"]*"//; s/"latency_ms":[0-9]+//' "$r/answers.jsonl" | sort > "$r/answers.norm"
  for x in chance_DemoBench.xlsx chance_DemoBench_score.xlsx; do
    for e in xl/worksheets/sheet1.xml xl/sharedStrings.xml; do unzip -p "$r/$x" "$e" 2> /dev/null || true; done > "$r/$x.xml"
  done
  rm -rf "$r/LMUData" "$r/answers.jsonl" "$r"/*.xlsx
  rm -rf "$out"; mv "$r" "$out"
}
run "$old" "$work/old"
run "$new" "$work/new"
status=0
for f in $(cd "$work/old" && ls); do
  if cmp -s "$work/old/$f" "$work/new/$f"; then echo "same      $f"; else echo "DIFFERENT $f"; status=1; fi
done
[ $status -eq 0 ] && echo "compare-outputs: every output is byte-identical" || echo "compare-outputs: outputs differ (see $work)"
exit $status
