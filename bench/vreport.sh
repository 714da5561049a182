#!/usr/bin/env bash
# vreport at Video-MME's scale: a generated run of QUESTIONS questions (default 2,700, Video-MME's
# count) x MODELS models (default 5), 8 frames each, Video-MME-length prompts; the answers are
# merged and scored by the real vmerge and vscore (MVBench rules), then vreport writes the site and
# headless chromium opens the dataset page RUNS times (default 5).
# Reported: vreport's time, the data file's size, the page's load time (navigation start to the
# rendered question list: the `data-rendered-ms` the page sets, real clock, no virtual time), its
# median over RUNS, and with #bench=1 the slowest filter (every category, every wrong-for-A
# right-for-B pair, a search) the page times on itself.
# Usage: bench/vreport.sh [QUESTIONS] [MODELS] [RUNS]      (data under bench/out/vreport)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2700}
models=${2:-5}
runs=${3:-5}
bin=${VTOOLS_BIN_DIR:-.build/release}
chromium=${CHROMIUM:-chromium}
[ -x "$bin/vreport" ] || swift build -c release >&2
command -v "$chromium" > /dev/null || { echo "bench/vreport.sh: needs chromium (scripts/install-deps.sh)" >&2; exit 69; }
out=$PWD/bench/out/vreport
rm -rf "$out"
mkdir -p "$out/lmu/images"
ffmpeg -v error -f lavfi -i color=gray:s=320x180 -frames:v 1 -y "$out/frame.jpg"

python3 - "$out" "$n" "$models" <<'PY'
import json, os, random, sys
out, n, models = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(0)
tasks = ["Temporal Perception", "Spatial Perception", "Attribute Perception", "Action Recognition", "Object Recognition",
         "OCR Problems", "Counting Problem", "Temporal Reasoning", "Spatial Reasoning", "Action Reasoning", "Object Reasoning", "Information Synopsis"]
videos = max(1, n // 3)
for v in range(videos):
    d = f"{out}/lmu/images/BenchVMME/v{v:04d}"
    os.makedirs(d, exist_ok=True)
    for i in range(1, 9):
        os.link(f"{out}/frame.jpg", f"{d}/frame-{i}-of-8.jpg")
system = ("Carefully watch the video and pay attention to the cause and sequence of events, the detail and movement of objects, "
          "and the action and pose of persons. Based on your observations, select the best option that accurately addresses the question.")
rows, prompts = [], []
for i in range(n):
    v = i // 3
    cands = [f"option {c} for question {i}, a phrase of a few words" for c in "abcd"]
    ans = rng.randrange(4)
    q = f"Question {i}: what does the person in the video do after the {rng.choice(['red', 'blue', 'green'])} car passes the gate?"
    frames = [f"{out}/lmu/images/BenchVMME/v{v:04d}/frame-{k}-of-8.jpg" for k in range(1, 9)]
    rows.append([str(i), f"v{v:04d}", q, cands[ans], str(cands), tasks[i % len(tasks)]])
    subs = " ".join(f"subtitle line {k} of the video, what someone says at this moment." for k in range(12))
    user = f"This video's subtitles are listed below:\n{subs}\nQuestion: {q}\nOptions:\n" + "\n".join(f"({'ABCD'[k]}) {c}" for k, c in enumerate(cands))
    msgs = [{"type": "text", "value": system, "role": "system"}] + [{"type": "image", "value": f} for f in frames] + \
           [{"type": "text", "value": user}, {"type": "text", "value": "\nOnly give the best option."}, {"type": "text", "value": "Best option:(", "role": "assistant"}]
    prompts.append({"id": str(i), "index": str(i), "video": f"v{v:04d}", "question": q, "answer": cands[ans], "candidates": str(cands),
                    "task_type": tasks[i % len(tasks)], "frames": frames, "sampling": {"method": "uniform", "nframe": 8, "dataset": "BenchVMME"}, "messages": msgs})
    rows[-1].append(ans)
os.makedirs(f"{out}/runs/BenchVMME", exist_ok=True)
with open(f"{out}/BenchVMME.tsv", "w") as f:
    f.write("index\tvideo\tquestion\tanswer\tcandidates\ttask_type\n")
    for r in rows:
        f.write("\t".join(r[:6]) + "\n")
with open(f"{out}/runs/BenchVMME/prompts.jsonl", "w") as f:
    for p in prompts:
        f.write(json.dumps(p, ensure_ascii=False) + "\n")
for m in range(models):
    name = f"model-{m + 1}"
    skill = 0.3 + 0.12 * m
    os.makedirs(f"{out}/runs/BenchVMME/{name}", exist_ok=True)
    with open(f"{out}/runs/BenchVMME/{name}/answers.0.jsonl", "w") as f:
        for p, r in zip(prompts, rows):
            k = r[6] if rng.random() < skill else rng.randrange(4)
            rec = {k2: p[k2] for k2 in ("id", "index", "video", "question", "answer", "candidates", "task_type", "frames", "sampling")}
            rec["prediction"] = f"({'ABCD'[k]}) " + json.loads(json.dumps(eval(p["candidates"])))[k] + ". The person then walks to the door and opens it, " * 3
            rec["inference"] = {"model": name, "started_at": "2026-12-03T10:00:00Z", "reasoning": "Looking at frames 3 to 6, the person moves left. " * 10}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
PY

for m in $(seq 1 "$models"); do
  d=$out/runs/BenchVMME/model-$m
  "$bin/vmerge" "$d/answers.0.jsonl" --meta "$out/BenchVMME.tsv" --model "model-$m" -o "$d/model-${m}_BenchVMME.xlsx" 2> /dev/null
  "$bin/vscore" "$d/model-${m}_BenchVMME.xlsx" --dataset BenchVMME --rules mvbench > "$d/scores.txt" 2> /dev/null
done

start=$(date +%s%N)
LMUData=$out/lmu "$bin/vreport" "$out/runs/BenchVMME" -o "$out/report" 2> "$out/vreport.log" > /dev/null
ms=$((($(date +%s%N) - start) / 1000000))
echo "vreport: $n questions x $models models in $ms ms ($(cat "$out/vreport.log" | sed 's/^vreport: //'))"
echo "data/BenchVMME.js: $(($(stat -c %s "$out/report/data/BenchVMME.js") / 1024)) KiB"

flags=(--headless --disable-gpu --no-sandbox --no-first-run "--user-data-dir=$out/chrome-profile")
loads=()
for i in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  dom=$("$chromium" "${flags[@]}" --dump-dom "file://$out/report/BenchVMME.html" 2> /dev/null)
  wall=$((($(date +%s%N) - t0) / 1000000))
  ready=$(grep -o 'data-rendered-ms="[0-9.]*"' <<< "$dom" | grep -o '[0-9.]*')
  shown=$(grep -o 'data-shown="[0-9]*"' <<< "$dom" | grep -o '[0-9]*')
  [ "$shown" = "$n" ] || { echo "bench/vreport.sh: the page listed '$shown' of $n questions" >&2; exit 1; }
  echo "load $i: rendered at $ready ms after navigation start (chromium run: $wall ms with its start-up)"
  loads+=("$ready")
done
median=$(printf '%s\n' "${loads[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
echo "load time (median of $runs): $median ms"
dom=$("$chromium" "${flags[@]}" --dump-dom "file://$out/report/BenchVMME.html#bench=1" 2> /dev/null)
echo "filters: slowest of $(grep -o 'data-filter-tries="[0-9]*"' <<< "$dom" | grep -o '[0-9]*') filter changes: $(grep -o 'data-filter-worst-ms="[0-9.]*"' <<< "$dom" | grep -o '[0-9.]*') ms (filter and redraw of the first page)"
