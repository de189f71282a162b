#!/usr/bin/env bash
# last_hour.sh TARGET BINARY WORKDIR CUT [OUTDIR]
#
# The stopping rule's replay (fuzz/README.md, "Where each target stands"):
# the committed corpus of TARGET plus WORKDIR's inputs written up to CUT
# (a time `find -newermt` takes, e.g. "2026-12-06 08:00:00": the start of
# the run's last hour) against the same plus every later input, each side
# replayed twice by BINARY (the libFuzzer build the run used). Prints the
# edges gained by where the code is (coverage_by_crate.py) and, for each
# function of meritlist's own src/ that gained, the places it reached
# (edge_lines.py). Writes only under OUTDIR (default
# ${TMPDIR:-/tmp}/last-hour-TARGET).
set -euo pipefail
if [ $# -lt 4 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
target=$1 bin=$(realpath "$2") work=$3 cut=$4
out=${5:-${TMPDIR:-/tmp}/last-hour-$target}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out/before" "$out/after"
cp "$here/corpus/$target"/* "$out/before/"
cp "$here/corpus/$target"/* "$out/after/"
find "$work" -type f ! -newermt "$cut" -exec cp -t "$out/before/" {} +
find "$work" -type f -exec cp -t "$out/after/" {} +
echo "before: $(ls "$out/before" | wc -l) inputs; after: $(ls "$out/after" | wc -l)"
for side in before after; do
  for n in 1 2; do
    "$bin" -runs=0 -print_coverage=1 -timeout=30 -rss_limit_mb=4096 "$out/$side" >"$out/$side.$n" 2>&1
  done
  cat "$out/$side.1" "$out/$side.2" >"$out/$side.both"
done
python3 "$here/coverage_by_crate.py" "$out/before.both" "$out/after.both"
echo
python3 "$here/edge_lines.py" "$out/before.1,$out/before.2" "$out/after.1,$out/after.2"
