#!/usr/bin/env bash
# Interleaved rounds: meritlist, its floor and the polars peer, one after
# another, ROUNDS times on one generated exam, for machines whose speed
# drifts between runs (a shared VM: the same command varied by ±20% there).
# Each round's ratios compare runs made seconds apart; the medians of the
# rounds are the figures to report.
#
#   benches/rounds.sh DIR/exam.toml csv|xlsx [ROUNDS]
#
# DIR is an exam from `examples/gen` (benches/run.sh makes them). Outputs go
# to DIR/rounds/ and are removed after each run. Environment: PYTHON
# (python3), POLARS=0 to leave the peer out.
set -euo pipefail
cd "$(dirname "$0")/.."
EXAM=$1
FORMAT=$2
ROUNDS=${3:-5}
PY=${PYTHON:-python3}
POLARS=${POLARS:-1}
DIR=$(dirname "$EXAM")
OUT=$DIR/rounds
cargo build --release --quiet --bin meritlist --example floor
BIN=target/release/meritlist
FLOOR=target/release/examples/floor
mkdir -p "$OUT"

wall() { # LOG -> the wall seconds /usr/bin/time wrote
  tail -1 "$1" | cut -d' ' -f1
}

printf 'round\tmeritlist\tfloor\tpolars\tmeritlist/floor\tpolars/meritlist\n'
T=$OUT/rounds.tsv
: >"$T"
for ((i = 1; i <= ROUNDS; i++)); do
  rm -rf "$OUT/m" "$OUT/floor-out" "$OUT/p"
  /usr/bin/time -f "%e %M" -o "$OUT/m.time" "$BIN" score "$EXAM" -o "$OUT/m" --quiet
  m=$(wall "$OUT/m.time")
  # the floor copies meritlist's outputs: its own timing line
  f=$("$FLOOR" "$EXAM" "$OUT/m" | sed -n 's/^floor: .*= \([0-9.]*\) s$/\1/p')
  rm -rf "$OUT/floor-out"
  p=-
  if [ "$POLARS" = 1 ]; then
    /usr/bin/time -f "%e %M" -o "$OUT/p.time" "$PY" benches/peer/polars_score.py "$DIR" "$OUT/p" --format "$FORMAT" >/dev/null 2>&1
    p=$(wall "$OUT/p.time")
    cmp -s "$OUT/m/scores.csv" "$OUT/p/scores.csv" || echo "round $i: polars' scores.csv differs" >&2
  fi
  printf '%s\t%s\t%s\t%s\n' "$i" "$m" "$f" "$p" >>"$T"
  awk -F'\t' -v i="$i" 'END { printf "%s\t%s\t%s\t%s\t%.2f\t%s\n", i, $2, $3, $4, $2 / $3, ($4 == "-" ? "-" : sprintf("%.2f", $4 / $2)) }' "$T"
done
rm -rf "$OUT/m" "$OUT/p"
# medians of each column and of the per-round ratios
awk -F'\t' '
  function med(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { n++; m[n] = $2; f[n] = $3; r[n] = $2 / $3; if ($4 != "-") { p[n] = $4; q[n] = $4 / $2 } }
  END {
    printf "median\t%.2f\t%.2f\t%s\t%.2f\t%s\n", med(m, n), med(f, n), (n in p ? sprintf("%.2f", med(p, n)) : "-"), med(r, n), (n in q ? sprintf("%.2f", med(q, n)) : "-")
  }' "$T"
