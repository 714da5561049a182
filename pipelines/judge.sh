#!/usr/bin/env bash
# Score a result table whose dataset needs a judge model (MMBench-Video, MovieChat-1K; MVBench,
# MLVU and generic MCQ answers no rule can read; MLVU open-ended; Q-Bench-Video VQA; TempCompass
# captioning), with any vinfer backend as the judge: a local vLLM server or a cloud API.
#
#   pipelines/judge.sh RESULT.xlsx [VSCORE-ARGS] -- --api-base URL --model gpt-4-turbo -j 16
#
# 1. vscore RESULT --judge-prompts  -> {stem}_judge_prompts.jsonl (one record per row to judge)
# 2. vinfer -o {stem}_judge_answers.jsonl  (resumable: rerun the same command after a crash)
# 3. vscore RESULT --judged {stem}_judge_answers.jsonl  -> the score files and the table
#
# VSCORE-ARGS (e.g. --dataset NAME, --strict, --judge-name NAME, --format md) go to both vscore
# calls; the arguments after `--` go to vinfer. Exit status: vscore's, or vinfer's when some
# judgements failed (they are scored as VLMEvalKit scores failures and reported).
set -euo pipefail
bin=${VTOOLS_BIN_DIR:-$(dirname "$0")/../.build/release}
vscore_args=()
result=
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; break ;;
    -*) vscore_args+=("$1")
        case $1 in
          --dataset|--preset|--rules|--judge-name|--format|-d|--output-dir) vscore_args+=("$2"); shift ;;
        esac
        shift ;;
    *) result=$1; shift ;;
  esac
done
[ -n "$result" ] || { echo "usage: judge.sh RESULT [VSCORE-ARGS] -- VINFER-ARGS" >&2; exit 64; }
stem=${result%.*}
prompts=${stem}_judge_prompts.jsonl
answers=${stem}_judge_answers.jsonl
"$bin/vscore" "$result" ${vscore_args[@]+"${vscore_args[@]}"} --judge-prompts > "$prompts.tmp"
mv "$prompts.tmp" "$prompts"
status=0
if [ -s "$prompts" ]; then
  "$bin/vinfer" -o "$answers" --progress never "$@" "$prompts" > /dev/null || status=$?
  # 1: some judgements failed (scored as failures); anything else stops here.
  [ "$status" -le 1 ] || exit "$status"
else
  : > "$answers"
fi
"$bin/vscore" "$result" ${vscore_args[@]+"${vscore_args[@]}"} --judged "$answers" || exit $?
exit "$status"
