#!/usr/bin/env bash
#SBATCH --job-name=vinfer
#SBATCH --output=vinfer-%A_%a.log
# pipelines/fanout.sh as a Slurm array job: task i of N runs `vinfer --shard i/N`, then one job
# that depends on the whole array merges the shards.
#
#   pipelines/slurm-array.sh -n 8 -o results/ --meta data.tsv prompts.jsonl -- --api-base URL --model M
#
# Submits `sbatch --array=0-(N-1)` of this script (extra sbatch options in SBATCH_OPTS, e.g.
# "--partition=gpu --time=24:00:00 --gres=gpu:1"), then `sbatch --dependency=afterany:JOB` of the
# merge. Each task resumes its shard's answer log, so resubmitting the same command after a
# pre-emption asks only what is missing. With --bases FILE, task i uses API base (i mod lines)+1.
# Inside a task (SLURM_ARRAY_TASK_ID set) the script runs its shard; `--merge` runs the merge.
set -euo pipefail
self=$(readlink -f "$0")
bin=${VTOOLS_BIN_DIR:-$(dirname "$self")/../.build/release}
n=
out=
meta=
bases=
merge=0
original=("$@")
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    --meta) meta=$2; shift 2 ;;
    --bases) bases=$2; shift 2 ;;
    --merge) merge=1; shift ;;
    --) shift; break ;;
    *) prompts=$1; shift ;;
  esac
done
[ -n "${prompts:-}" ] && [ -n "$out" ] && [ -n "$meta" ] && [ -n "$n" ] || {
  echo "usage: slurm-array.sh -n N -o DIR/ --meta TSV [--bases FILE] PROMPTS.jsonl -- VINFER-ARGS" >&2; exit 64; }
export VTOOLS_BIN_DIR=$bin
if [ "$merge" = 1 ]; then
  exec "$bin/vmerge" "$out"/answers.*.jsonl --meta "$meta" -o "$out/"
fi
if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
  i=$SLURM_ARRAY_TASK_ID
  base=()
  if [ -n "$bases" ]; then
    mapfile -t urls < <(grep -v '^[[:space:]]*$' "$bases")
    base=(--api-base "${urls[$((i % ${#urls[@]}))]}")
  fi
  mkdir -p "$out"
  exec "$bin/vinfer" --shard "$i/$n" -o "$out/answers.$i.jsonl" --progress never ${base[@]+"${base[@]}"} "$@" "$prompts" > /dev/null
fi
command -v sbatch >/dev/null 2>&1 || { echo "slurm-array.sh: error: sbatch not found (run it on a Slurm login node)" >&2; exit 69; }
mkdir -p "$out"
job=$(sbatch --parsable ${SBATCH_OPTS:-} --array=0-$((n - 1)) --export=ALL "$self" "${original[@]}")
job=${job%%;*}
merge_job=$(sbatch --parsable ${SBATCH_OPTS:-} --job-name=vmerge --dependency=afterany:"$job" --export=ALL "$self" --merge "${original[@]}")
echo "slurm-array.sh: array job $job ($n shards), merge job ${merge_job%%;*}; answers in $out/answers.I.jsonl" >&2
