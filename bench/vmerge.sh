#!/usr/bin/env bash
# vmerge against pandas + xlsxwriter (what VLMEvalKit's merge and dump do) on the same data in the
# same run: a ROWS-row dataset (default 100,000) answered in 8 shard files, merged into .xlsx.
# Median of RUNS runs (hyperfine, 1 warm-up) and peak memory (GNU time). Needs python3 with pandas
# and xlsxwriter for the baseline (openpyxl too for CHECK=1).
#
# Two data shapes (SHAPE: ascii, mixed or all, the default):
#   ascii  one short ASCII answer per row (the 2026-11-25 shape).
#   mixed  answers in several scripts (CJK, Hangul, Cyrillic, accented Latin, emoji and other
#          astral characters), some with escaped newlines and quotes, 1 in 997 with a control
#          character, and 1 in 200 of 31,000-44,000 characters (most over Excel's 32,767 UTF-16
#          units, so they are cut); a quarter of the questions are Chinese.
# Both are generated deterministically (no random numbers) into bench/out/vmerge/SHAPE.
# CHECK=1 also reads both .xlsx files back with pandas.read_excel(dtype=str) and compares them
# (cells vmerge cut must be the text's start plus vmerge's marker; control characters are
# U+FFFD in vmerge's file).
# Usage: bench/vmerge.sh [ROWS] [RUNS] [SHAPE]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
runs=${2:-3}
shape=${3:-${SHAPE:-all}}
bin=${VTOOLS_BIN_DIR:-.build/release}
py=${PYTHON:-python3}
[ -x "$bin/vmerge" ] || swift build -c release >&2
case $shape in
  all) shapes=(ascii mixed) ;;
  ascii | mixed) shapes=("$shape") ;;
  *) echo "bench/vmerge.sh: SHAPE must be ascii, mixed or all" >&2; exit 2 ;;
esac

gen_ascii() {  # $1: the folder
  awk -v n="$rows" -v out="$1" 'BEGIN {
    print "index\tvideo\tquestion\tanswer\tcandidates\tcategory" > (out "/meta.tsv")
    for (s = 0; s < 8; s++) printf "" > (out "/shard." s ".jsonl")
    for (i = 0; i < n; i++) {
      printf "%d\tvideo_%d.mp4\tWhat happens after the person picks up the cup number %d?\tB\t[\x27a\x27, \x27b\x27, \x27c\x27, \x27d\x27]\ttask%d\n", i, i / 8, i, i % 20 >> (out "/meta.tsv")
      printf "{\"id\":\"%d\",\"index\":\"%d\",\"prediction\":\"(B) The person drinks from the cup, then puts it back on the table.\",\"inference\":{\"model\":\"m\",\"attempts\":1,\"latency_ms\":812}}\n", i, i >> (out "/shard." (i % 8) ".jsonl")
    }
  }'
}

gen_mixed() {  # $1: the folder
  python3 - "$rows" "$1" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
texts = [
    "(B) The person drinks from the cup, then puts it back on the table.",
    "(C) 那个人拿起杯子喝了一口，然后把它放回桌子上。",
    "(A) La personne boit un café crème, puis repose la tasse — naïve façade, déjà vu.",
    "(D) 🙂 The person waves 👋 and leaves 🚪; 答案是 D。",
    "(B) Человек пьёт из чашки и ставит её обратно на стол.",
    "(C) 사람이 컵을 들고 마신 다음 테이블에 내려놓습니다.",
    "Answer: B\nReason: the \"cup\" is on the 𝑡𝑎𝑏𝑙𝑒 (see 𠀀𠀁) — über straße.",
    "(A) 人物は🍵を飲んでから、カップをテーブルに戻します。",
]
controls = ["\x0b", "\x07", "\x0c", "\x1b", "\ufffe"]
meta = open(f"{out}/meta.tsv", "w", encoding="utf-8", newline="\n")
meta.write("index\tvideo\tquestion\tanswer\tcandidates\tcategory\n")
shards = [open(f"{out}/shard.{s}.jsonl", "w", encoding="utf-8", newline="\n") for s in range(8)]
for i in range(n):
    q = (f"人拿起第{i}号杯子之后发生了什么？" if i % 4 == 3
         else f"What happens after the person picks up the cup number {i}?")
    meta.write(f"{i}\tvideo_{i // 8}.mp4\t{q}\tB\t['a', 'b', 'c', 'd']\ttask{i % 20}\n")
    p = texts[i % 8] + (" " + texts[(i * 3 + 1) % 8] if i % 3 == 0 else "")
    if i % 997 == 5:
        p = p[:10] + controls[(i // 997) % len(controls)] + p[10:]
    if i % 200 == 3 + 23 * (i // 200 % 8):  # a long answer: 31,000-44,000 characters
        target = 31000 + (i // 200 * 7919) % 13000
        parts, size, k = [], 0, i
        while size < target:
            t = texts[k % 8] + " "
            parts.append(t)
            size += len(t)
            k += 5
        p = "".join(parts)[:target]
    rec = {"id": str(i), "index": str(i), "prediction": p,
           "inference": {"model": "m", "attempts": 1, "latency_ms": 812}}
    shards[i % 8].write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
PY
}

check() {  # $1: the folder; compares v.xlsx and p.xlsx as pandas reads them, and with the JSONL
  python3 - "$1" <<'PY'
import json, re, sys
import pandas as pd
d = sys.argv[1]
v = pd.read_excel(f"{d}/v.xlsx", dtype=str, keep_default_na=False)
p = pd.read_excel(f"{d}/p.xlsx", dtype=str, keep_default_na=False)
assert list(v.columns) == list(p.columns), (list(v.columns), list(p.columns))
assert len(v) == len(p), (len(v), len(p))
src = {}
for s in range(8):
    for line in open(f"{d}/shard.{s}.jsonl", encoding="utf-8"):
        r = json.loads(line)
        src[r["id"]] = r["prediction"]
marker = " [...cut: over Excel's 32767-character limit; the full text is in the JSONL]"
bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
def u16(s): return len(s.encode("utf-16-le")) // 2
cut = ctrl = 0
for c in v.columns:
    for k, a, b in zip(v["index"], v[c], p[c]):
        if a == b:
            continue
        if c == "prediction" and a.endswith(marker):
            # vmerge cuts at 32767 UTF-16 units with its marker; xlsxwriter at 32767 code points,
            # silently. Both must be starts of the answer, vmerge's as long as the limit allows.
            full = bad.sub("\ufffd", src[k])
            head = a[: -len(marker)]
            assert u16(a) <= 32767 < u16(full) and full.startswith(head), (k, len(a))
            assert u16(full[: len(head) + 1]) + u16(marker) > 32767, (k, "cut short")
            assert src[k].startswith(b), (k, "pandas' cell is not a start of the answer")
            cut += 1
        elif bad.sub("\ufffd", re.sub("_x([0-9A-F]{4})_", lambda m: chr(int(m[1], 16)), b)) == a:
            ctrl += 1  # xlsxwriter writes these as _xHHHH_ escapes, which openpyxl reads as they are
        else:
            raise SystemExit(f"row {k}, column {c} differ: {a[:60]!r} vs {b[:60]!r}")
print(f"read back: {len(v)} rows x {len(v.columns)} columns equal, except {cut} cut cells "
      f"(vmerge: the start of the answer + its marker) and {ctrl} cells with control characters "
      f"(vmerge: U+FFFD)", file=sys.stderr)
PY
}

echo "| shape | rows | vmerge (s) | pandas+xlsxwriter (s) | ratio | vmerge peak RSS |"
echo "|---|---|---|---|---|---|"
for s in "${shapes[@]}"; do
  out=bench/out/vmerge/$s
  mkdir -p "$out"
  if [ ! -s "$out/meta.tsv" ] || [ "$(cat "$out/rows" 2>/dev/null)" != "$rows" ]; then
    "gen_$s" "$out"
    echo "$rows" > "$out/rows"
  fi
  cmds=(--command-name vmerge "$bin/vmerge --meta $out/meta.tsv -o $out/v.xlsx -q $out/shard.*.jsonl")
  $py -c 'import pandas, xlsxwriter' 2>/dev/null && cmds+=(--command-name pandas "$py bench/pandas_merge.py $out/meta.tsv $out/p.xlsx $(echo "$out"/shard.{0..7}.jsonl)")
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$out/times.json" "${cmds[@]}" > /dev/null
  vmem=$( { /usr/bin/time -f '%M' "$bin/vmerge" --meta "$out/meta.tsv" -o "$out/v.xlsx" -q "$out"/shard.*.jsonl; } 2>&1 | tail -1)
  python3 - "$out/times.json" "$rows" "$vmem" "$s" <<'PY'
import json, statistics, sys
res = {r["command"]: statistics.median(r["times"]) for r in json.load(open(sys.argv[1]))["results"]}
v = res["vmerge"]; p = res.get("pandas")
rss = f"{int(sys.argv[3]) // 1024} MiB"
print(f"| {sys.argv[4]} | {sys.argv[2]} | {v:.2f} | {p:.2f} | {p / v:.1f}x | {rss} |" if p else f"| {sys.argv[4]} | {sys.argv[2]} | {v:.2f} | - | - | {rss} |")
PY
  if [ "${CHECK:-0}" = 1 ] && [ -s "$out/p.xlsx" ]; then check "$out"; fi
done
