#!/usr/bin/env python3
"""Picks a small corpus with the most coverage per byte.

    select_corpus.py CONTROL_FILE OUT_DIR BUDGET_BYTES [KEEP]

CONTROL_FILE is written by a fuzz target run as

    TARGET_BINARY -set_cover_merge=1 -use_counters=0 \
        -merge_control_file=CONTROL_FILE EMPTY_DIR CANDIDATE_DIRS...

(with -set_cover_merge, each input's "FT" line lists all its features; with
-use_counters=0 those are its covered edges). The inputs whose names match
the regular expression KEEP are always kept ("named": every input whose
name is not a 40-digit hash, i.e. the hand-made seeds); then a greedy
budgeted max-coverage adds, one at a time, the input with the most new
edges per byte (plus 64 bytes for its file) that still fits BUDGET_BYTES.
"""
import heapq
import os
import re
import shutil
import sys


def main():
    ctl, out, budget = sys.argv[1], sys.argv[2], int(sys.argv[3])
    keep = sys.argv[4] if len(sys.argv) > 4 else ""
    lines = open(ctl, errors="replace").read().split("\n")
    n = int(lines[0])
    files = lines[2 : 2 + n]
    size, feats = {}, {}
    for line in lines[2 + n :]:
        p = line.split()
        if not p:
            continue
        if p[0] == "STARTED":
            size[int(p[1])] = int(p[2])
        elif p[0] == "FT":
            feats[int(p[1])] = set(map(int, p[2:]))
    universe = set().union(*feats.values()) if feats else set()
    have, chosen, used = set(), [], 0
    for i, f in enumerate(files):
        name = os.path.basename(f)
        named = not re.fullmatch(r"[0-9a-f]{40}", name)
        if i in feats and keep and ((keep == "named" and named) or (keep != "named" and re.search(keep, name))):
            chosen.append(i)
            have |= feats[i]
            used += size[i]
    heap = [(-len(feats[i]) / (size[i] + 64), i) for i in feats if i not in chosen]
    heapq.heapify(heap)
    while heap:
        _, i = heapq.heappop(heap)
        gain = len(feats[i] - have)
        if gain == 0:
            continue
        ratio = gain / (size[i] + 64)
        if heap and ratio < -heap[0][0]:
            heapq.heappush(heap, (-ratio, i))  # stale: re-rank
            continue
        if used + size[i] > budget:
            continue
        chosen.append(i)
        have |= feats[i]
        used += size[i]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for i in chosen:
        shutil.copy(files[i], os.path.join(out, os.path.basename(files[i])))
    print(f"{out}: {len(chosen)} files, {used} bytes; edges {len(have)}/{len(universe)}")


if __name__ == "__main__":
    main()
