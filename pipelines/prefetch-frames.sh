#!/usr/bin/env bash
# Extract a dataset's frames once, P processes at a time, for reuse by every model: the cache is
# VLMEvalKit's layout under $LMUData/images and each video is locked while it is extracted, so
# processes (and VLMEvalKit itself) never decode a video twice.
#
#   pipelines/prefetch-frames.sh -P 4 DATASET.tsv -- --preset Video-MME_8frame --video-root DIR
#
# Arguments after `--` go to vframes. The frame records are discarded; run vframes again later
# (it reuses every frame) to get them.
set -euo pipefail
bin=${VTOOLS_BIN_DIR:-$(dirname "$0")/../.build/release}
procs=$(nproc)
while [ $# -gt 0 ]; do
  case $1 in
    -P) procs=$2; shift 2 ;;
    --) shift; break ;;
    *) tsv=$1; shift ;;
  esac
done
[ -n "${tsv:-}" ] || { echo "usage: prefetch-frames.sh [-P N] DATASET.tsv -- VFRAMES-ARGS" >&2; exit 64; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Split the rows (header kept in each part) so rows of one video stay together when sorted.
head -1 "$tsv" > "$tmp/header"
tail -n +2 "$tsv" | split -n "r/$procs" - "$tmp/part."
for p in "$tmp"/part.*; do cat "$tmp/header" "$p" > "$p.tsv"; done
ls "$tmp"/part.*.tsv | xargs -P "$procs" -I{} "$bin/vframes" -j 1 --threads 1 --progress never "$@" {} > /dev/null
echo "prefetch-frames: done ($procs processes)" >&2
