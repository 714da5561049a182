#!/usr/bin/env bash
# Fan a run out over N shards (VLMEvalKit's rank::world_size split), then merge the shards.
#
#   pipelines/fanout.sh -n 4 -o results/ --meta data.tsv prompts.jsonl -- --api-base URL --model M
#   pipelines/fanout.sh -n 8 --bases vllm-bases.txt -o results/ --meta data.tsv prompts.jsonl -- --model M
#
# Each shard is one `vinfer --shard i/N -o DIR/answers.i.jsonl` process: local processes with GNU
# parallel when it is installed (add `--sshlogin` hosts with PARALLEL_OPTS="--sshlogin a,b"), else
# xargs -P. With --bases FILE (one API base per line, as pipelines/vllm-serve.sh writes), shard i
# talks to line (i mod lines) + 1: client-side sharding over server replicas. Rerunning the same
# command resumes every shard. Arguments after `--` go to vinfer.
set -euo pipefail
bin=${VTOOLS_BIN_DIR:-$(dirname "$0")/../.build/release}
n=4
out=
meta=
bases=
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    --meta) meta=$2; shift 2 ;;
    --bases) bases=$2; shift 2 ;;
    --) shift; break ;;
    *) prompts=$1; shift ;;
  esac
done
[ -n "${prompts:-}" ] && [ -n "$out" ] && [ -n "$meta" ] || {
  echo "usage: fanout.sh -n N -o DIR/ --meta TSV [--bases FILE] PROMPTS.jsonl -- VINFER-ARGS" >&2; exit 64; }
mkdir -p "$out"
urls=()
if [ -n "$bases" ]; then
  mapfile -t urls < <(grep -v '^[[:space:]]*$' "$bases")
  [ "${#urls[@]}" -gt 0 ] || { echo "fanout.sh: error: $bases lists no API base" >&2; exit 64; }
fi
# One shell command per shard, every argument quoted.
cmds=$(mktemp)
trap 'rm -f "$cmds"' EXIT
for ((i = 0; i < n; i++)); do
  args=("$bin/vinfer" --shard "$i/$n" -o "$out/answers.$i.jsonl" --progress never)
  [ "${#urls[@]}" -eq 0 ] || args+=(--api-base "${urls[$((i % ${#urls[@]}))]}")
  args+=("$@" "$prompts")
  printf '%q ' "${args[@]}" >> "$cmds"
  printf '> /dev/null\n' >> "$cmds"
done
status=0
if command -v parallel >/dev/null 2>&1; then
  parallel ${PARALLEL_OPTS:-} --halt never -j "$n" < "$cmds" || status=$?
else
  tr '\n' '\0' < "$cmds" | xargs -0 -P "$n" -I{} sh -c {} || status=$?
fi
# A shard with failed answers exits 1 (xargs reports 123); the merge still runs and reports them.
"$bin/vmerge" "$out"/answers.*.jsonl --meta "$meta" -o "$out/"
exit "$status"
