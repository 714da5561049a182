#!/usr/bin/env bash
# make test-servers: the pipeline against a real OpenAI-compatible server (llama.cpp's llama-server),
# opt-in, not part of `make test`. Builds llama-server from the llama-cpp-python sdist on PyPI (cached
# under .cache/test-servers/), makes a tiny random Qwen2-VL locally (nothing from a model hub), converts
# it with the sdist's own converter (text model + --mmproj vision tower), serves it on loopback and checks:
#   1. a vprompt record of generated frames (system text, frames as data URLs, the assistant prefill sent
#      as user text) is answered 200 with a non-empty prediction and no error;
#   2. a prompt longer than --ctx-size gives an error record with code context_exceeded after ONE request;
#   3. vinfer killed (SIGKILL) mid-run over 20 records at -j 1, then rerun: every id answered exactly once.
# Env: BIN_DIR (vtools binaries; default .build/release, built if missing), PORT (default 18431),
#      CACHE (default .cache/test-servers).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cache=${CACHE:-$root/.cache/test-servers}
bin=${BIN_DIR:-$root/.build/release}
port=${PORT:-18431}
constraints=$root/scripts/test-servers-constraints.txt
version=$(awk -F'==' '$1 == "llama-cpp-python" { print $2 }' "$constraints")
src=$cache/llama_cpp_python-$version/vendor/llama.cpp
server=$cache/build/bin/llama-server
mkdir -p "$cache"
say() { echo "test-servers: $*" >&2; }
fail() { echo "test-servers: FAIL: $*" >&2; exit 1; }

# llama-server, once.
if [ ! -x "$server" ]; then
  if [ ! -d "$src" ]; then
    say "fetching llama-cpp-python $version (sdist, PyPI)"
    mkdir -p "$cache/dl"
    # The sdist only (its build backend comes as wheels for its metadata; never --no-binary :all:,
    # which builds cmake itself from source).
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python -d "$cache/dl" \
      "llama-cpp-python==$version"
    [ -s "$cache/dl/llama_cpp_python-$version.tar.gz" ] || fail "no sdist in $cache/dl"
    tar -xzf "$cache/dl/llama_cpp_python-$version.tar.gz" -C "$cache"
  fi
  say "building llama-server (Release, CPU only; about 10-15 minutes on two cores)"
  start=$(date +%s)
  nice -n 19 cmake -S "$src" -B "$cache/build" -DCMAKE_BUILD_TYPE=Release -DGGML_CUDA=OFF -DGGML_BLAS=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF >"$cache/build.log" 2>&1
  nice -n 19 cmake --build "$cache/build" --target llama-server -j 2 >>"$cache/build.log" 2>&1 ||
    fail "build failed, see $cache/build.log"
  say "built llama-server in $(($(date +%s) - start)) s"
fi

# The Python side, once: torch, transformers, the converter's gguf (from the sdist).
py=$cache/venv/bin/python
if ! "$py" -c 'import torch, transformers, tokenizers' 2>/dev/null; then
  say "making $cache/venv (PyPI, pinned by $constraints)"
  python3 -m venv "$cache/venv"
  "$py" -m pip install --quiet -c "$constraints" torch transformers tokenizers numpy sentencepiece protobuf safetensors
fi

# The model, once.
model=$cache/model
if [ ! -s "$cache/tiny-qwen2vl.gguf" ] || [ ! -s "$cache/mmproj-tiny-qwen2vl.gguf" ]; then
  rm -rf "$model"
  "$py" scripts/test-servers/make-model.py "$model"
  "$py" scripts/test-servers/convert.py "$src" "$model" --outtype f32 --outfile "$cache/tiny-qwen2vl.gguf"
  "$py" scripts/test-servers/convert.py "$src" "$model" --mmproj --outtype f32 \
    --outfile "$cache/mmproj-tiny-qwen2vl.gguf"
fi

[ -x "$bin/vinfer" ] || swift build -c release
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

ctx=4096
"$server" -m "$cache/tiny-qwen2vl.gguf" --mmproj "$cache/mmproj-tiny-qwen2vl.gguf" --host 127.0.0.1 \
  --port "$port" --ctx-size "$ctx" -np 1 -t 2 --jinja -n 8 >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "llama-server exited"; }
  sleep 1
done
api=(--backend openai --api-base "http://127.0.0.1:$port/v1" --model tiny-qwen2vl --max-tokens 8 --attempts 3
  --backoff 0.1 --timeout 300)

export LMUData=$work/lmu  # vframes' frame cache
# Prompts: the demo benchmark's videos through vframes and vprompt's MVBench template.
scripts/make-demo-data.sh "$work/lmu" 20 >/dev/null
"$bin/vframes" --nframe 8 --dataset DemoBench --video-root "$work/lmu/videos" --video-ext .mp4 \
  "$work/lmu/DemoBench.tsv" >"$work/frames.jsonl"
"$bin/vprompt" --template mvbench "$work/frames.jsonl" >"$work/prompts.jsonl"

# 1. One record answered 200.
head -n 1 "$work/prompts.jsonl" >"$work/one.jsonl"
# (llama-server logs no requests, so vinfer's own count: inference.attempts / error.attempts.)
"$bin/vinfer" "${api[@]}" "$work/one.jsonl" >"$work/one.answers.jsonl"
python3 - "$work/one.answers.jsonl" <<'PY' || fail "check 1: record of frames not answered"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1 and "error" not in r[0] and str(r[0].get("prediction", "")).strip(), r
assert r[0]["inference"]["attempts"] == 1, r[0]["inference"]
PY
say "check 1 ok: 8 frames answered at the first request"

# 2. A prompt longer than the context: context_exceeded after one request.
python3 - "$work/one.jsonl" "$ctx" >"$work/long.jsonl" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
r["id"] = str(r["id"]) + "-long"
text = next(m for m in r["messages"] if m["type"] == "text")
text["value"] += " pad" * int(sys.argv[2])  # about one token a byte (one merge): far past the context
print(json.dumps(r))
PY
"$bin/vinfer" "${api[@]}" "$work/long.jsonl" >"$work/long.answers.jsonl" || true
python3 - "$work/long.answers.jsonl" <<'PY' || fail "check 2: no context_exceeded error record"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
e = r[0]["error"]
assert len(r) == 1 and e["code"] == "context_exceeded", r
assert e["attempts"] == 1, f"{e['attempts']} requests for a permanent failure (want 1 of --attempts 3)"
print(f"test-servers: check 2 ok: context_exceeded (HTTP {e.get('status')}) after 1 request: {e['message'][:80]}")
PY

# 3. SIGKILL mid-run, rerun: every id once.
out=$work/answers.jsonl
"$bin/vinfer" "${api[@]}" -j 1 -o "$out" "$work/prompts.jsonl" &
vpid=$!
for _ in $(seq 1 600); do
  [ -s "$out" ] && [ "$(wc -l <"$out")" -ge 3 ] && break
  sleep 0.2
done
kill -9 "$vpid" 2>/dev/null || true
wait "$vpid" 2>/dev/null || true
killed_at=$(wc -l <"$out")
"$bin/vinfer" "${api[@]}" -j 1 -o "$out" "$work/prompts.jsonl"
python3 - "$work/prompts.jsonl" "$out" "$killed_at" <<'PY' || fail "check 3: resume lost or repeated records"
import json, sys
want = [json.loads(l)["id"] for l in open(sys.argv[1])]
got = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
ids = [r["id"] for r in got]
assert int(sys.argv[3]) < len(want), "killed after the last record: nothing to resume"
assert sorted(ids) == sorted(want), (len(ids), len(want))
assert all("error" not in r for r in got), [r for r in got if "error" in r]
PY
say "check 3 ok: killed after $killed_at of $(wc -l <"$work/prompts.jsonl") records, rerun answered each once"
say "all checks passed"
