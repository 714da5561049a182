#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (swiftc -sanitize=fuzzer,address over the library
# sources) and runs each for SECONDS. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# A crash stops that target with libFuzzer's report and leaves Fuzz/out/crash-*; the script
# exits 1 when any target crashed. The parser targets carry structure-aware mutators
# (LLVMFuzzerCustomMutator; Fuzz/Support/Mutate.swift, Fuzz/xlsx.swift).
# FUZZ_BUILD_WRAP prefixes every swiftc (e.g. "flock /tmp/vtools-build.lock" on a shared
# machine); FUZZ_RUN_WRAP prefixes every fuzzer run (default "nice -n 19");
# FUZZ_SECONDS_<target> overrides SECONDS for one target (xlsx defaults to 5 x SECONDS).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json tsv pylist pack srt xlsx match media)
build_wrap=(${FUZZ_BUILD_WRAP:-})
run_wrap=(${FUZZ_RUN_WRAP:-nice -n 19})
out=Fuzz/out
mods=$out/modules
mkdir -p "$mods"
flags=(-swift-version 6 -parse-as-library -sanitize=fuzzer,address -O -g -package-name vtools
  -I "$mods" -I Sources/CFFmpeg -I Sources/CXLSXWriter -I Sources/CZlib)

declare -A deps=([VCore]="" [VSheet]="VCore" [VMerge]="VSheet VCore" [VPrompt]="VCore" [VScore]="VSheet VCore" [VMedia]="VCore"
  [VBenchmarks]="VPrompt VScore VSheet VCore")
declare -A module=([json]=VCore [tsv]=VCore [pylist]=VCore [pack]=VMerge [srt]=VPrompt [xlsx]=VSheet [match]=VBenchmarks [media]=VMedia)
declare -A libs=([VCore]="" [VSheet]="-lxlsxwriter -lz" [VMerge]="-lxlsxwriter -lz" [VPrompt]="" [VScore]="-lxlsxwriter -lz"
  [VBenchmarks]="-lxlsxwriter -lz"
  [VMedia]="-lavformat -lavcodec -lswscale -lavutil")

build_module() {
  local m=$1
  [ -f "$mods/lib$m.a" ] && [ -z "$(find "Sources/$m" -newer "$mods/lib$m.a" -name '*.swift' | head -1)" ] && return 0
  for d in ${deps[$m]}; do build_module "$d"; done
  echo "fuzz: building $m" >&2
  "${build_wrap[@]}" swiftc "${flags[@]}" -enable-testing -module-name "$m" -emit-module -emit-module-path "$mods/$m.swiftmodule" \
    -emit-library -static -o "$mods/lib$m.a" $(find "Sources/$m" -name '*.swift' | sort)
}

# Seeds, made here (no binary files in git): small valid inputs for each target.
seeds=$out/seeds
make_seeds() {
  [ -f "$seeds/.v2" ] && return 0
  rm -rf "$seeds"
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
  vmerge=.build/release/vmerge
  [ -x "$vmerge" ] || vmerge=.build/debug/vmerge
  if [ -x "$vmerge" ]; then
    printf '{"id":"0","prediction":"A"}\n' > "$seeds/a.jsonl"
    "$vmerge" "$seeds/a.jsonl" --meta "$seeds/x.tsv" -o "$seeds/xlsx/table.xlsx" 2> /dev/null || true
  fi
  # Real spreadsheets from the other writers VLMEvalKit results come from (pandas' engines
  # xlsxwriter and openpyxl, when installed; a streamed zip with data descriptors, as
  # LibreOffice writes), and the hostile corpus's crafted tables (small ones).
  python3 - "$seeds/xlsx" <<'PY' || true
import io, sys, zipfile
d = sys.argv[1]
rows = [["index", "question", "answer", "prediction"], [0, "What is 1+1? &<>", "B", "B"], [1, "ünïcödé 視頻", "A", 3.5]]
try:
    import xlsxwriter
    wb = xlsxwriter.Workbook(d + "/xlsxwriter.xlsx"); ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, v in enumerate(row): ws.write(r, c, v)
    wb.close()
    wb = xlsxwriter.Workbook(d + "/xlsxwriter-constant-memory.xlsx", {"constant_memory": True, "use_zip64": True}); ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, v in enumerate(row): ws.write(r, c, v)
    wb.close()
except ImportError:
    pass
try:
    import openpyxl
    wb = openpyxl.Workbook(); ws = wb.active
    for row in rows: ws.append(row)
    ws["F9"] = "rich"
    wb.save(d + "/openpyxl.xlsx")
except ImportError:
    pass
# LibreOffice-style: shared strings, entries streamed with data descriptors (flag bit 3).
sst = "".join(f"<si><t>{v}</t></si>" for v in ["index", "prediction", "A"])
sheet = ('<worksheet><sheetData><row r="1"><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
         '<row r="2"><c r="A2"><v>0</v></c><c r="B2" t="s"><v>2</v></c></row></sheetData></worksheet>')
class Stream(io.RawIOBase):
    def __init__(self): self.b = bytearray()
    def writable(self): return True
    def write(self, x): self.b += x; return len(x)
s = Stream()
with zipfile.ZipFile(s, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/sharedStrings.xml", f"<sst>{sst}</sst>")
    z.writestr("xl/worksheets/sheet1.xml", sheet)
open(d + "/streamed-data-descriptors.xlsx", "wb").write(bytes(s.b))
PY
  if python3 Tests/Fixtures/make-hostile-files.py "$out/hostile" 2> /dev/null; then
    find "$out/hostile/xlsx" -name '*.xlsx' -size -64k -exec cp {} "$seeds/xlsx/" \;
    cp "$out/hostile/srt/"*.srt "$seeds/srt/" 2> /dev/null || true
  fi
  if command -v ffmpeg > /dev/null; then
    for ext in mp4 ts mkv; do
      ffmpeg -v error -nostdin -y -f lavfi -i testsrc=size=32x24:rate=10:duration=0.5 -c:v libx264 -g 3 "$seeds/media/v.$ext" || true
    done
  fi
  touch "$seeds/.v2"
}
make_seeds

status=0
for t in "${targets[@]}"; do
  m=${module[$t]:?unknown target $t}
  build_module "$m"
  archives=("$mods/lib$m.a")
  for d in ${deps[$m]}; do archives+=("$mods/lib$d.a"); done
  support=()
  case $t in json | tsv | pylist | pack | srt | xlsx) support=(Fuzz/Support/*.swift) ;; esac
  "${build_wrap[@]}" swiftc "${flags[@]}" "Fuzz/$t.swift" "${support[@]}" "${archives[@]}" ${libs[$m]} -o "$out/fuzz-$t" 2> >(grep -v 'Cannot export local symbol' >&2)
  mkdir -p "Fuzz/corpus/$t"
  var=FUZZ_SECONDS_$t
  # xlsx runs about 250 inputs/s here (each one unzipped, edited, zipped, read): five times as long.
  default=$seconds
  [ "$t" = xlsx ] && default=$((seconds * 5))
  secs=${!var:-$default}
  echo "fuzz: running $t for ${secs}s" >&2
  if ! "${run_wrap[@]}" "$out/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
      -artifact_prefix="$out/crash-$t-" "Fuzz/corpus/$t" "$seeds/$t" 2> "$out/$t.log"; then
    status=1
    tail -40 "$out/$t.log" >&2
  fi
  grep -E '^Done|^#[0-9]+.*DONE' "$out/$t.log" | tail -1 | sed "s/^/fuzz: $t: /" >&2 || true
done
exit $status
