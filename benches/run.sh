#!/usr/bin/env bash
# End-to-end benchmark of `meritlist score` against its I/O floor and two
# Python peers doing the same job on the same generated exams.
#
#   benches/run.sh                 # N = 10000 100000 1000000
#   benches/run.sh 10000 100000    # other sizes
#
# For each N and each format (csv, xlsx) it generates the exam with
# `examples/gen --seed 7` (reused when WORK/FORMAT-N/exam.toml exists) and
# times, one after another on the same warm files:
#   meritlist   target/release/meritlist score (all cores)
#   1 core      the same pinned to one core (taskset -c 0, where taskset
#               exists) with RAYON_NUM_THREADS=1: meritlist also runs a
#               thread per workbook sheet and per input file being parsed,
#               so only the pin makes it a one-core figure
#   floor       examples/floor: read the inputs, write the same outputs
#               (its own read + write time, without its untimed set-up)
#   pandas      benches/peer/pandas_score.py (an HR analyst's script)
#   polars      benches/peer/polars_score.py (written for speed)
# with /usr/bin/time for wall seconds and peak RSS, then prints markdown
# tables of seconds, peak MB and ratios, and whether each peer's three CSVs
# are byte-identical to meritlist's.
#
# The peers write the CSVs, the workbook and a result.json, but no notices
# of disqualification and no audit hashes: meritlist does more work.
#
# Environment:
#   WORK=/tmp/meritlist-bench   where the exams and outputs go; on a
#                               shared or slow disk, /dev/shm/meritlist-bench
#                               measures the programs rather than the disk
#                               (meritlist and the floor sync the main outputs; the peers
#                               do not)
#   PYTHON=python3              with benches/peer/requirements.txt installed
#   REPS=1                      runs per measurement (the fastest is kept)
#   PANDAS_LIMIT=1200           seconds: a pandas run estimated (linearly,
#                               from the largest smaller N measured, or a
#                               PANDAS_PROBE=100000 run made for the purpose,
#                               all tools) to take longer is skipped, and the
#                               table says so
#   KEEP=0                      1 keeps every output (at 1M they take ~10 GB)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${WORK:-/tmp/meritlist-bench}
PY=${PYTHON:-python3}
REPS=${REPS:-1}
PANDAS_LIMIT=${PANDAS_LIMIT:-1200}
PANDAS_PROBE=${PANDAS_PROBE:-100000}
KEEP=${KEEP:-0}
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(10000 100000 1000000); fi
mapfile -t SIZES < <(printf '%s\n' "${SIZES[@]}" | sort -n -u)

if ! "$PY" -c "import pandas, openpyxl, xlsxwriter, polars, fastexcel" 2>/dev/null; then
  echo "the Python peers need: $PY -m pip install -r benches/peer/requirements.txt" >&2
  exit 1
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

echo "building (release)..." >&2
cargo build --release --quiet --bin meritlist --example gen --example floor
BIN=$ROOT/target/release/meritlist
GEN=$ROOT/target/release/examples/gen
FLOOR=$ROOT/target/release/examples/floor

PIN=""
if command -v taskset >/dev/null; then PIN="taskset -c 0"; fi

mkdir -p "$WORK"
RESULTS=$WORK/results.tsv
: >"$RESULTS"

# measure OUTDIR LOG CMD...: runs CMD REPS times, OUTDIR removed before
# each; sets SECS (fastest wall time) and MB (peak RSS of that run).
# Returns non-zero if CMD failed.
measure() {
  local out=$1 log=$2 best="" mb="" s kb i
  shift 2
  : >"$log"
  for ((i = 0; i < REPS; i++)); do
    rm -rf "$out"
    if ! /usr/bin/time -f "%e %M" -o "$log.time" "$@" >>"$log" 2>&1; then
      echo "FAILED: $* (see $log)" >&2
      tail -5 "$log" >&2
      SECS=fail MB=-
      return 1
    fi
    read -r s kb < <(tail -1 "$log.time")
    if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$s mb=$((kb / 1024))
    fi
  done
  SECS=$best MB=$mb
}

record() { # N FORMAT TOOL SECS MB NOTE
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"
}

same_csvs() { # DIR_A DIR_B -> prints identical / differs: ...
  local a=$1 b=$2 x bad=()
  for x in eligibility-list scores not-eligible; do
    cmp -s "$a/$x.csv" "$b/$x.csv" || bad+=("$x.csv")
  done
  if [ ${#bad[@]} -eq 0 ]; then echo identical; else echo "differs: ${bad[*]}"; fi
}

declare -A PANDAS_T # "FORMAT N" -> seconds measured

exam_for() { # N FORMAT -> path of exam.toml, generated if missing
  local n=$1 f=$2 dir=$WORK/$2-$1
  if [ ! -f "$dir/exam.toml" ]; then
    echo "generating $n applicants as $f in $dir" >&2
    "$GEN" --applicants "$n" --format "$f" --seed 7 -o "$dir" 2>/dev/null
  fi
  echo "$dir/exam.toml"
}

run_case() { # N FORMAT
  local n=$1 f=$2 exam dir runs note est m
  exam=$(exam_for "$n" "$f")
  dir=$(dirname "$exam")
  runs=$dir/runs
  rm -rf "$runs"
  mkdir -p "$runs"
  echo "== $n applicants, $f" >&2

  measure "$runs/meritlist" "$runs/meritlist.log" "$BIN" score "$exam" -o "$runs/meritlist" --quiet
  record "$n" "$f" meritlist "$SECS" "$MB" ""
  echo "   meritlist   $SECS s  $MB MB" >&2

  measure "$runs/meritlist-1t" "$runs/meritlist-1t.log" env RAYON_NUM_THREADS=1 $PIN "$BIN" score "$exam" -o "$runs/meritlist-1t" --quiet
  record "$n" "$f" meritlist-1t "$SECS" "$MB" ""
  echo "   1 core      $SECS s  $MB MB" >&2
  rm -rf "$runs/meritlist-1t"

  # the floor writes copies of meritlist's outputs to runs/floor-out
  if measure "$runs/floor-out" "$runs/floor.log" "$FLOOR" "$exam" "$runs/meritlist"; then
    local fs
    fs=$(sed -n 's/^floor: .*= \([0-9.]*\) s$/\1/p' "$runs/floor.log" | sort -n | head -1)
    record "$n" "$f" floor "$fs" "$MB" "process $SECS s"
    echo "   floor       $fs s (process $SECS s)  $MB MB" >&2
  else
    record "$n" "$f" floor fail - ""
  fi
  rm -rf "$runs/floor-out"

  # pandas: skipped when it would take over PANDAS_LIMIT seconds
  est=""
  m=""
  for k in "${!PANDAS_T[@]}"; do
    local kf=${k% *} kn=${k#* }
    if [ "$kf" = "$f" ] && [ "$kn" -lt "$n" ] && { [ -z "$m" ] || [ "$kn" -gt "$m" ]; }; then m=$kn; fi
  done
  if [ -z "$m" ] && [ "$n" -gt "$PANDAS_PROBE" ]; then
    echo "   (no smaller pandas $f run to estimate from: running $PANDAS_PROBE first)" >&2
    run_case "$PANDAS_PROBE" "$f"
    m=$PANDAS_PROBE
  fi
  if [ -n "$m" ] && [ "${PANDAS_T["$f $m"]}" != fail ]; then
    est=$(awk -v t="${PANDAS_T["$f $m"]}" -v a="$m" -v b="$n" 'BEGIN { printf "%.0f", t * b / a }')
  fi
  if [ -n "$est" ] && [ "$est" -gt "$PANDAS_LIMIT" ]; then
    note="skipped: estimated ${est} s from the ${m} run (limit ${PANDAS_LIMIT} s)"
    record "$n" "$f" pandas skip - "$note"
    echo "   pandas      $note" >&2
  else
    if measure "$runs/pandas" "$runs/pandas.log" "$PY" benches/peer/pandas_score.py "$dir" "$runs/pandas" --format "$f"; then
      note=$(same_csvs "$runs/meritlist" "$runs/pandas")
    else
      note="failed"
    fi
    PANDAS_T["$f $n"]=$SECS
    record "$n" "$f" pandas "$SECS" "$MB" "$note"
    echo "   pandas      $SECS s  $MB MB  ($note)" >&2
  fi

  if measure "$runs/polars" "$runs/polars.log" "$PY" benches/peer/polars_score.py "$dir" "$runs/polars" --format "$f"; then
    note="$(same_csvs "$runs/meritlist" "$runs/polars"); $(sed -n 's/.*xlsx written (\(.*\))$/\1/p' "$runs/polars.log" | tail -1)"
  else
    note="failed"
  fi
  record "$n" "$f" polars "$SECS" "$MB" "$note"
  echo "   polars      $SECS s  $MB MB  ($note)" >&2

  if [ "$KEEP" != 1 ]; then
    rm -rf "$runs/meritlist/notices" "$runs"/*/result.json "$runs"/*/eligibility-list.xlsx
  fi
}

for n in "${SIZES[@]}"; do
  for f in csv xlsx; do
    # a case already run for a pandas estimate is not run twice
    if [ -n "${PANDAS_T["$f $n"]+x}" ]; then continue; fi
    run_case "$n" "$f"
  done
done

VERSIONS=$("$PY" - <<'EOF'
import importlib.metadata as m, platform
def v(p):
    try:
        return m.version(p)
    except m.PackageNotFoundError:
        return "-"
print(f"Python {platform.python_version()}, pandas {v('pandas')}, openpyxl {v('openpyxl')}, xlsxwriter {v('xlsxwriter')}, "
      f"polars {v('polars')}, fastexcel {v('fastexcel')}, xlsxturbo {v('xlsxturbo')}")
EOF
)

"$PY" - "$RESULTS" "$("$BIN" --version)" "$VERSIONS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import sys
from collections import defaultdict
path, version, versions, cpus, load = sys.argv[1:]
rows = defaultdict(dict)
order = []
for line in open(path):
    n, f, tool, secs, mb, note = line.rstrip("\n").split("\t")
    key = (int(n), f)
    if key not in rows:
        order.append(key)
    rows[key][tool] = (secs, mb, note)
order.sort()

def num(x):
    try:
        return float(x)
    except ValueError:
        return None

def cell(r, tool):
    if tool not in r:
        return "—"
    s, mb, note = r[tool]
    if s == "skip":
        return "skipped"
    if num(s) is None:
        return s
    return f"{num(s):.2f}" + (f" ({mb} MB)" if mb not in ("", "-") else "")

def ratio(r, a, b):
    x = num(r.get(a, ("",))[0]) if a in r else None
    y = num(r.get(b, ("",))[0]) if b in r else None
    return f"{x / y:.1f}×" if x and y else "—"

print(f"\n{version}; {cpus} CPUs, load average {load} at the end; {versions}\n")
print("Seconds (peak RSS). meritlist, 1 core, pandas and polars: wall time of the whole process;")
print("floor: its own read + write time (examples/floor).\n")
print("| N | format | meritlist | 1 core | floor | pandas | polars |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
for key in order:
    r = rows[key]
    print(f"| {key[0]:,} | {key[1]} | " + " | ".join(cell(r, t) for t in ["meritlist", "meritlist-1t", "floor", "pandas", "polars"]) + " |")
print("\n| N | format | meritlist / floor | pandas / meritlist | polars / meritlist | 1 core / all | pandas CSVs | polars CSVs |")
print("| ---: | --- | ---: | ---: | ---: | ---: | --- | --- |")
for key in order:
    r = rows[key]
    pn = r.get("pandas", ("", "", "—"))[2] or "—"
    po = r.get("polars", ("", "", "—"))[2] or "—"
    print(f"| {key[0]:,} | {key[1]} | {ratio(r, 'meritlist', 'floor')} | {ratio(r, 'pandas', 'meritlist')} | "
          f"{ratio(r, 'polars', 'meritlist')} | {ratio(r, 'meritlist-1t', 'meritlist')} | {pn} | {po} |")
notes = [(k, r["pandas"][2]) for k in order for r in [rows[k]] if r.get("pandas", ("",))[0] == "skip"]
for (n, f), note in notes:
    print(f"\npandas on {n:,} {f}: {note}; its ratio is the one at the smaller N above.")
EOF
echo
echo "raw results: $RESULTS; logs: $WORK/*/runs/*.log"
