#!/usr/bin/env bash
# Score a result table whose dataset needs a judge model (MMBench-Video, MovieChat-1K; MVBench,
# MLVU and generic MCQ answers no rule can read; MLVU open-ended; Q-Bench-Video VQA; TempCompass
# captioning; the chained judges of Video-MMLU's captions, VDC and DREAM-1K), with any vinfer backend as the
# judge: a local vLLM server or a cloud API.
#
#   pipelines/judge.sh RESULT.xlsx [VSCORE-ARGS] -- --api-base URL --model gpt-4-turbo -j 16
#
# For each round k = 1, 2, ... of the dataset's judge (most have one; a chained judge builds
# round k from the replies to the rounds before):
# 1. vscore RESULT --judge-prompts --judge-round k --judged (rounds 1..k-1)
#      -> {stem}_judge_prompts.jsonl (round 1), {stem}_judge_prompts_r{k}.jsonl (round k >= 2);
#      empty when no round k is left, which ends the loop
# 2. vinfer -o {stem}_judge_answers.jsonl (round 1), {stem}_judge_answers_r{k}.jsonl (round k)
# then 3. vscore RESULT --judged (every round's answers) -> the score files and the table.
#
# Resumable: rerun the same command after a crash. Every round is run again, and vinfer skips the
# records its log already answers (it asks again where a prompt changed, e.g. a round built from a
# failed reply that has since been retried), so a rerun continues where the last one stopped.
#
# VSCORE-ARGS (e.g. --dataset NAME, --strict, --judge-name NAME, --format md) go to every vscore
# call; the arguments after `--` go to vinfer. Exit status: vscore's, or vinfer's when some
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
          --dataset|--preset|--rules|--judge-name|--judge-frames|--format|-d|--output-dir) vscore_args+=("$2"); shift ;;
        esac
        shift ;;
    *) result=$1; shift ;;
  esac
done
[ -n "$result" ] || { echo "usage: judge.sh RESULT [VSCORE-ARGS] -- VINFER-ARGS" >&2; exit 64; }
stem=${result%.*}
status=0
judged=()
round=1
while :; do
  suffix=; [ "$round" -eq 1 ] || suffix=_r$round
  prompts=${stem}_judge_prompts$suffix.jsonl
  answers=${stem}_judge_answers$suffix.jsonl
  "$bin/vscore" "$result" ${vscore_args[@]+"${vscore_args[@]}"} --judge-prompts --judge-round "$round" \
    ${judged[@]+"${judged[@]}"} > "$prompts.tmp"
  mv "$prompts.tmp" "$prompts"
  if [ ! -s "$prompts" ]; then
    # No round `round`: round 1 leaves an empty answers file (nothing needed the judge).
    if [ "$round" -eq 1 ]; then : > "$answers"; judged+=(--judged "$answers"); else rm -f "$prompts"; fi
    break
  fi
  s=0
  "$bin/vinfer" -o "$answers" --progress never "$@" "$prompts" > /dev/null || s=$?
  # 1: some judgements failed (scored as failures); anything else stops here.
  [ "$s" -le 1 ] || exit "$s"
  [ "$s" -eq 0 ] || status=$s
  judged+=(--judged "$answers")
  round=$((round + 1))
done
"$bin/vscore" "$result" ${vscore_args[@]+"${vscore_args[@]}"} ${judged[@]+"${judged[@]}"} || exit $?
exit "$status"
