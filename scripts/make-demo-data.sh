#!/usr/bin/env bash
# Generates DemoBench: short synthetic videos whose answers are known from how they were made,
# in VLMEvalKit's TSV format (index, video, question, answer, candidates, category).
# Usage: scripts/make-demo-data.sh DIR [N]    (writes DIR/videos/*.mp4 and DIR/DemoBench.tsv)
set -euo pipefail
dir=${1:?usage: make-demo-data.sh DIR [N]}
n=${2:-24}
mkdir -p "$dir/videos"
tsv="$dir/DemoBench.tsv"
[ -s "$tsv" ] && [ "$(($(wc -l < "$tsv") - 1))" -ge "$n" ] && exit 0

directions=(right left down up)
colours=(red green blue yellow)
tmp="$tsv.tmp.$$"
printf 'index\tvideo\tquestion\tanswer\tcandidates\tcategory\n' > "$tmp"
idx=0
for ((i = 0; i < n; i++)); do
  d=${directions[$((i % 4))]}
  c=${colours[$(((i / 4) % 4))]}
  name=$(printf 'demo_%03d' "$i")
  # A 40x40 box crossing a 320x240 frame in 3 s; different GOP sizes and B-frame settings.
  case $d in
    right) x='20+t*80'; y='100' ;;
    left) x='260-t*80'; y='100' ;;
    down) x='140'; y='10+t*60' ;;
    up) x='140'; y='190-t*60' ;;
  esac
  if [ ! -s "$dir/videos/$name.mp4" ]; then
    ffmpeg -v error -nostdin -y -f lavfi -i "color=c=gray:s=320x240:d=3:r=30" \
      -f lavfi -i "color=c=$c:s=40x40:d=3:r=30" \
      -filter_complex "[0][1]overlay=x='$x':y='$y':shortest=1,format=yuv420p" \
      -c:v libx264 -preset veryfast -g $((15 + 15 * (i % 3))) -bf $((i % 3)) "$dir/videos/$name.mp4.tmp.mp4"
    mv "$dir/videos/$name.mp4.tmp.mp4" "$dir/videos/$name.mp4"
  fi
  printf '%d\t%s\t%s\t%s\t%s\t%s\n' $idx "$name" "Which way does the $c box move?" "$d" \
    "['left', 'right', 'up', 'down']" "direction" >> "$tmp"
  idx=$((idx + 1))
  printf '%d\t%s\t%s\t%s\t%s\t%s\n' $idx "$name" "What colour is the moving box?" "$c" \
    "['red', 'green', 'blue', 'yellow']" "colour" >> "$tmp"
  idx=$((idx + 1))
done
mv "$tmp" "$tsv"
