#!/usr/bin/env bash
# vmerge against pandas + xlsxwriter (what VLMEvalKit's merge and dump do) on the same data in the
# same run: a ROWS-row dataset (default 100,000) answered in 8 shard files, merged into .xlsx.
# Median of RUNS runs (hyperfine) and peak memory (GNU time). Needs python3 with pandas and
# xlsxwriter for the baseline. Usage: bench/vmerge.sh [ROWS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
runs=${2:-3}
bin=${VTOOLS_BIN_DIR:-.build/release}
out=bench/out/vmerge
py=${PYTHON:-python3}
mkdir -p "$out"
[ -x "$bin/vmerge" ] || swift build -c release >&2
if [ ! -s "$out/meta.tsv" ] || [ "$(($(wc -l < "$out/meta.tsv") - 1))" -ne "$rows" ]; then
  awk -v n="$rows" 'BEGIN {
    print "index\tvideo\tquestion\tanswer\tcandidates\tcategory" > "'"$out"'/meta.tsv"
    for (s = 0; s < 8; s++) printf "" > ("'"$out"'/shard." s ".jsonl")
    for (i = 0; i < n; i++) {
      printf "%d\tvideo_%d.mp4\tWhat happens after the person picks up the cup number %d?\tB\t[\x27a\x27, \x27b\x27, \x27c\x27, \x27d\x27]\ttask%d\n", i, i / 8, i, i % 20 >> "'"$out"'/meta.tsv"
      printf "{\"id\":\"%d\",\"index\":\"%d\",\"prediction\":\"(B) The person drinks from the cup, then puts it back on the table.\",\"inference\":{\"model\":\"m\",\"attempts\":1,\"latency_ms\":812}}\n", i, i >> ("'"$out"'/shard." (i % 8) ".jsonl")
    }
  }'
fi
cmds=(--command-name vmerge "$bin/vmerge --meta $out/meta.tsv -o $out/v.xlsx -q $out/shard.*.jsonl")
$py -c 'import pandas, xlsxwriter' 2>/dev/null && cmds+=(--command-name pandas "$py bench/pandas_merge.py $out/meta.tsv $out/p.xlsx $out/shard.0.jsonl $out/shard.1.jsonl $out/shard.2.jsonl $out/shard.3.jsonl $out/shard.4.jsonl $out/shard.5.jsonl $out/shard.6.jsonl $out/shard.7.jsonl")
hyperfine --style none --warmup 1 --runs "$runs" --export-json "$out/times.json" "${cmds[@]}" > /dev/null
vmem=$( { /usr/bin/time -f '%M' "$bin/vmerge" --meta "$out/meta.tsv" -o "$out/v.xlsx" -q "$out"/shard.*.jsonl; } 2>&1 | tail -1)
python3 - "$out/times.json" "$rows" "$vmem" <<'PY'
import json, statistics, sys
res = {r["command"]: statistics.median(r["times"]) for r in json.load(open(sys.argv[1]))["results"]}
v = res["vmerge"]; p = res.get("pandas")
print(f"| rows | vmerge (s) | pandas+xlsxwriter (s) | ratio | vmerge peak RSS |")
print(f"|---|---|---|---|---|")
print(f"| {sys.argv[2]} | {v:.2f} | {p:.2f} | {p / v:.1f}x | {int(sys.argv[3]) // 1024} MiB |" if p else f"| {sys.argv[2]} | {v:.2f} | - | - | {int(sys.argv[3]) // 1024} MiB |")
PY
