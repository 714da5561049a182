#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (swiftc -sanitize=fuzzer,address over the library
# sources) and runs each for SECONDS. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# A crash stops that target with libFuzzer's report and leaves Fuzz/out/crash-*; the script
# exits 1 when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json tsv pylist pack srt xlsx match media)
out=Fuzz/out
mods=$out/modules
mkdir -p "$mods"
flags=(-swift-version 6 -parse-as-library -sanitize=fuzzer,address -O -g
  -I "$mods" -I Sources/CFFmpeg -I Sources/CXLSXWriter -I Sources/CZlib)

declare -A deps=([VCore]="" [VSheet]="VCore" [VMerge]="VSheet VCore" [VPrompt]="VCore" [VScore]="VSheet VCore" [VMedia]="VCore")
declare -A module=([json]=VCore [tsv]=VCore [pylist]=VCore [pack]=VMerge [srt]=VPrompt [xlsx]=VSheet [match]=VScore [media]=VMedia)
declare -A libs=([VCore]="" [VSheet]="-lxlsxwriter -lz" [VMerge]="-lxlsxwriter -lz" [VPrompt]="" [VScore]="-lxlsxwriter -lz"
  [VMedia]="-lavformat -lavcodec -lswscale -lavutil")

build_module() {
  local m=$1
  [ -f "$mods/lib$m.a" ] && [ -z "$(find "Sources/$m" -newer "$mods/lib$m.a" -name '*.swift' | head -1)" ] && return 0
  for d in ${deps[$m]}; do build_module "$d"; done
  echo "fuzz: building $m" >&2
  swiftc "${flags[@]}" -enable-testing -module-name "$m" -emit-module -emit-module-path "$mods/$m.swiftmodule" \
    -emit-library -static -o "$mods/lib$m.a" $(find "Sources/$m" -name '*.swift' | sort)
}

# Seeds, made here (no binary files in git): small valid inputs for each target.
seeds=$out/seeds
make_seeds() {
  [ -d "$seeds" ] && return 0
  mkdir -p "$seeds"/{json,tsv,pylist,pack,srt,xlsx,match,media}
  printf '%s\n' '{"id":"1","messages":[{"type":"text","value":"hi \u00e9","role":"system"}],"n":-1.5e3,"b":[true,null]}' > "$seeds/json/record"
  printf 'index\tvideo\tquestion\n0\tv\t"a ""quoted""\ttab"\n1\tw\tq\r\n' > "$seeds/tsv/rows"
  printf "%s" "['a', \"b's\", 'c\\n', u'd']" > "$seeds/pylist/list"
  printf "%s" "{'1': 'x', \"2\": \"y\"}" > "$seeds/pylist/dict"
  printf '%s' 'Here: {"12": "A dog", "13": "two"} done' > "$seeds/pack/json"
  printf '%s' "{'I1': 'yes',
'I2': 'no'}" > "$seeds/pack/lines"
  printf '1\n00:00:01,000 --> 00:00:02,500\n<i>Hello</i>\\Nworld\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n' > "$seeds/srt/subs"
  printf '%s' 'The answer is (B) walking' > "$seeds/match/answer"
  printf 'index\tprediction\n0\t=1+1\n' > "$seeds/x.tsv"
  if [ -x .build/release/vmerge ]; then
    printf '{"id":"0","prediction":"A"}\n' > "$seeds/a.jsonl"
    .build/release/vmerge "$seeds/a.jsonl" --meta "$seeds/x.tsv" -o "$seeds/xlsx/table.xlsx" 2> /dev/null || true
  fi
  if command -v ffmpeg > /dev/null; then
    for ext in mp4 ts mkv; do
      ffmpeg -v error -nostdin -y -f lavfi -i testsrc=size=32x24:rate=10:duration=0.5 -c:v libx264 -g 3 "$seeds/media/v.$ext" || true
    done
  fi
}
make_seeds

status=0
for t in "${targets[@]}"; do
  m=${module[$t]:?unknown target $t}
  build_module "$m"
  archives=("$mods/lib$m.a")
  for d in ${deps[$m]}; do archives+=("$mods/lib$d.a"); done
  swiftc "${flags[@]}" "Fuzz/$t.swift" "${archives[@]}" ${libs[$m]} -o "$out/fuzz-$t" 2> >(grep -v 'Cannot export local symbol' >&2)
  mkdir -p "Fuzz/corpus/$t"
  echo "fuzz: running $t for ${seconds}s" >&2
  if ! "$out/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
      -artifact_prefix="$out/crash-$t-" "Fuzz/corpus/$t" "$seeds/$t" 2> "$out/$t.log"; then
    status=1
    tail -40 "$out/$t.log" >&2
  fi
  grep -E '^Done|^#[0-9]+.*DONE' "$out/$t.log" | tail -1 | sed "s/^/fuzz: $t: /" >&2 || true
done
exit $status
