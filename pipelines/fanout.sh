#!/usr/bin/env bash
# Fan a run out over N shards (VLMEvalKit's rank::world_size split), then merge the shards.
#
#   pipelines/fanout.sh -n 4 -o results/ --meta data.tsv prompts.jsonl -- --api-base URL --model M
#
# Each shard is one `vinfer --shard i/N -o DIR/answers.i.jsonl` process: local processes with GNU
# parallel when it is installed (add `--sshlogin` hosts with PARALLEL_OPTS="--sshlogin a,b"), else
# xargs -P. Rerunning the same command resumes every shard. Arguments after `--` go to vinfer.
set -euo pipefail
bin=${VTOOLS_BIN_DIR:-$(dirname "$0")/../.build/release}
n=4
out=
meta=
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    --meta) meta=$2; shift 2 ;;
    --) shift; break ;;
    *) prompts=$1; shift ;;
  esac
done
[ -n "${prompts:-}" ] && [ -n "$out" ] && [ -n "$meta" ] || { echo "usage: fanout.sh -n N -o DIR/ --meta TSV PROMPTS.jsonl -- VINFER-ARGS" >&2; exit 64; }
mkdir -p "$out"
status=0
if command -v parallel >/dev/null 2>&1; then
  seq 0 $((n - 1)) | parallel ${PARALLEL_OPTS:-} --halt never "$bin/vinfer" --shard {}/"$n" -o "$out/answers.{}.jsonl" --progress never "$@" "$prompts" || status=$?
else
  seq 0 $((n - 1)) | xargs -P "$n" -I{} "$bin/vinfer" --shard {}/"$n" -o "$out/answers.{}.jsonl" --progress never "$@" "$prompts" || status=$?
fi
# A shard with failed answers exits 1; the merge still runs and reports them.
"$bin/vmerge" "$out"/answers.*.jsonl --meta "$meta" -o "$out/"
exit "$status"
