#!/usr/bin/env bash
# CI: what `make demo` promises, checked on a separate demo directory (release binaries built):
#  1. killed with SIGKILL at several moments (data generation, frames, answers), then run again,
#     it completes: every question answered exactly once, the score table printed;
#  2. a second run reuses every frame and every answer;
#  3. `make install PREFIX=...` installs working binaries, man pages and completions.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${CHECK_DIR:-demo-check}
rm -rf "$dir"
export DEMO_DIR=$dir

for delay in 0.3 1 2 3.5 5; do
  setsid scripts/demo.sh > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
scripts/demo.sh > "$dir/first.txt" 2> "$dir/first.err" || { cat "$dir/first.err" "$dir/first.txt"; exit 1; }
grep -q '^overall ' "$dir/first.txt" || { echo "check-demo: no score table after the kills" >&2; cat "$dir/first.txt"; exit 1; }
python3 - "$dir/run/answers.jsonl" "$dir/LMUData/DemoBench.tsv" <<'PY'
import json, sys
ids = []
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        rec = json.loads(line)
    except ValueError:
        continue  # a line torn by SIGKILL: fenced off and ignored by vinfer and vmerge
    ids.append(rec["id"])
want = {l.split("\t")[0] for l in list(open(sys.argv[2], encoding="utf-8"))[1:]}
dup = sorted({i for i in ids if ids.count(i) > 1})
assert not dup, "answered more than once: %s" % dup
assert set(ids) == want, "missing answers: %s" % sorted(want - set(ids))
print("check-demo: after SIGKILLs, %d questions answered exactly once" % len(ids))
PY

start=$(date +%s%N)
scripts/demo.sh > "$dir/second.txt" 2> "$dir/second.err"
ms=$((($(date +%s%N) - start) / 1000000))
grep -q 'cached=24 failed=0' "$dir/second.err" || { echo "check-demo: second run decoded videos again" >&2; cat "$dir/second.err"; exit 1; }
grep -q '0 answered, 0 failed, 48 skipped' "$dir/second.err" || { echo "check-demo: second run asked again" >&2; cat "$dir/second.err"; exit 1; }
cmp <(grep -A4 '^DemoBench:' "$dir/first.txt") <(grep -A4 '^DemoBench:' "$dir/second.txt")
echo "check-demo: second run reused every frame and answer in ${ms} ms, same scores"

prefix=$(mktemp -d)
make --no-print-directory install PREFIX="$prefix" > /dev/null
for t in vdata vframes vprompt vinfer vmerge vscore vreport; do
  "$prefix/bin/$t" --version > /dev/null
  [ -s "$prefix/share/man/man1/$t.1" ] && [ -s "$prefix/share/bash-completion/completions/$t" ] &&
    [ -s "$prefix/share/zsh/site-functions/_$t" ] && [ -s "$prefix/share/fish/vendor_completions.d/$t.fish" ]
done
[ -s "$prefix/share/man/man5/vtools-records.5" ] && [ -s "$prefix/share/man/man7/vtools.7" ]
if command -v man > /dev/null; then
  MANPATH="$prefix/share/man" MANWIDTH=80 man vinfer 2> /dev/null | grep -q 'vinfer' || { echo "check-demo: man vinfer failed" >&2; exit 1; }
  echo "check-demo: make install: man vinfer works"
else
  echo "check-demo: make install: files in place (no man program here to open them)"
fi
rm -rf "$prefix" "$dir"
