#!/usr/bin/env bash
# Start vLLM OpenAI-compatible servers for a VLM, wait until each answers, and write their API bases
# (one per line) for vinfer: a single server, or several replicas for client-side sharding.
#
#   pipelines/vllm-serve.sh -m Qwen/Qwen2-VL-7B-Instruct -n Qwen2-VL-7B -r 4 -f 64 -- --max-model-len 32768
#   pipelines/fanout.sh -n 8 --bases vllm-bases.txt -o results/ --meta data.tsv prompts.jsonl -- --model Qwen2-VL-7B
#   kill $(cat vllm-pids.txt)
#
#   -m MODEL    the model to serve (a Hugging Face id or a path)
#   -n NAME     the name clients send as --model (default: MODEL)
#   -r N        replicas (default 1); replica i listens on PORT+i
#   -g N        GPUs per replica (tensor parallel; default 1): replica i gets GPUs i*N .. i*N+N-1
#   -p PORT     first port (default 8000)
#   -f FRAMES   images per prompt the server must accept: the frames of one request (default 64)
#   -L LIMIT    the literal --limit-mm-per-prompt value (default '{"image": FRAMES, "video": 1}';
#               older vLLM releases want image=FRAMES)
#   -t SECONDS  how long to wait for a replica to answer (default 1800: large models load slowly)
#   -o FILE     where to write the API bases (default vllm-bases.txt)
#   -P FILE     where to write the server pids (default vllm-pids.txt)
# Arguments after `--` go to `vllm serve`. Logs: vllm.I.log. $VLLM names the vllm program.
# Exit status: 0 when every replica answers GET /v1/models; 69 when one exits or times out (the
# others are stopped; its log tail is printed).
set -euo pipefail
model= name= replicas=1 gpus=1 port=8000 frames=64 limit= timeout=1800 out=vllm-bases.txt pidfile=vllm-pids.txt
while [ $# -gt 0 ]; do
  case $1 in
    -m) model=$2; shift 2 ;;
    -n) name=$2; shift 2 ;;
    -r) replicas=$2; shift 2 ;;
    -g) gpus=$2; shift 2 ;;
    -p) port=$2; shift 2 ;;
    -f) frames=$2; shift 2 ;;
    -L) limit=$2; shift 2 ;;
    -t) timeout=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    -P) pidfile=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "vllm-serve.sh: error: unknown argument '$1'" >&2; exit 64 ;;
  esac
done
[ -n "$model" ] || { echo "usage: vllm-serve.sh -m MODEL [-n NAME] [-r N] [-g N] [-p PORT] [-f FRAMES] [-o FILE] [-- VLLM-ARGS]" >&2; exit 64; }
name=${name:-$model}
limit=${limit:-"{\"image\": $frames, \"video\": 1}"}
vllm=${VLLM:-vllm}
command -v "$vllm" >/dev/null 2>&1 || { echo "vllm-serve.sh: error: '$vllm' not found (pip install vllm, or set VLLM)" >&2; exit 69; }
: > "$pidfile"
pids=()
for ((i = 0; i < replicas; i++)); do
  first=$((i * gpus))
  devices=$(seq -s, "$first" $((first + gpus - 1)))
  CUDA_VISIBLE_DEVICES=$devices "$vllm" serve "$model" --host 127.0.0.1 --port $((port + i)) \
    --served-model-name "$name" --tensor-parallel-size "$gpus" --limit-mm-per-prompt "$limit" "$@" \
    > "vllm.$i.log" 2>&1 &
  pids+=($!)
  echo $! >> "$pidfile"
done
stop() { kill "${pids[@]}" 2>/dev/null || true; }
ready() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5).read()' "$1" 2>/dev/null; }
deadline=$(($(date +%s) + timeout))
: > "$out.tmp"
for ((i = 0; i < replicas; i++)); do
  base="http://127.0.0.1:$((port + i))/v1"
  until ready "$base/models"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "vllm-serve.sh: error: replica $i exited before it answered; vllm.$i.log ends:" >&2
      tail -20 "vllm.$i.log" >&2; stop; exit 69
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "vllm-serve.sh: error: replica $i did not answer $base/models within ${timeout}s" >&2
      tail -20 "vllm.$i.log" >&2; stop; exit 69
    fi
    sleep 1
  done
  echo "$base" >> "$out.tmp"
  echo "vllm-serve.sh: replica $i ready at $base (model '$name', pid ${pids[$i]})" >&2
done
mv "$out.tmp" "$out"
echo "vllm-serve.sh: $replicas replica(s) in $out; stop them with: kill \$(cat $pidfile)" >&2
