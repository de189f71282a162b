#!/usr/bin/env python3
"""edge_lines.py BEFORE_OUT[,BEFORE_OUT2...] AFTER_OUT[,AFTER_OUT2...]

Each OUT is what a fuzz target prints with `-runs=0 -print_coverage=1
CORPUS_DIR`; several replays of the same files, comma-separated, are
taken together (a place counts as reached if any replay reached it,
which cuts the replay noise). For every function of meritlist's own
`src/` whose edges grew from BEFORE to AFTER, prints the places
(file:line, as libFuzzer describes the program counter) it reached in
AFTER and not in BEFORE. A place in another crate's or the standard
library's file is that code inlined into the meritlist function; a
place in `src/` is a branch on a line of meritlist's own. This is the
"each edge read" step of the zip targets' stopping rule (fuzz/README.md,
"Eighteenth session"; used since the nineteenth)."""
import collections, re, sys

FUNC = re.compile(r'(UN)?COVERED_FUNC: hits: \d+ edges: (\d+)/(\d+) (.*) (\S+):\d+$')


def own(path):
    """meritlist's own code, as coverage_by_crate.py counts it: a src/
    outside the registry, the toolchain and the fuzz harness."""
    return '/src/' in path and '/.cargo/' not in path and '/fuzz/' not in path \
        and not path.startswith(('/rustc/', '/rust/'))


def load(fn):
    """(edges by function, uncovered places by function) of one replay."""
    edges, unreached, cur = {}, collections.defaultdict(collections.Counter), None
    for line in open(fn, errors='replace'):
        line = line.strip()
        m = FUNC.match(line)
        if m:
            cur = (m.group(4), m.group(5)) if own(m.group(5)) else None
            if cur:
                edges[cur] = max(edges.get(cur, 0), int(m.group(2)))
        elif line.startswith('UNCOVERED_PC:') and cur:
            unreached[cur][line.split(' ', 1)[1]] += 1
    return edges, unreached


def together(fns):
    """Most edges and fewest unreached places per function over replays."""
    loads = [load(f) for f in fns]
    edges, unreached = {}, {}
    for e, u in loads:
        for k, v in e.items():
            edges[k] = max(edges.get(k, 0), v)
            if k in unreached:
                unreached[k] = unreached[k] & u[k]
            else:
                unreached[k] = u[k]
    return edges, unreached


before_edges, before_unreached = together(sys.argv[1].split(','))
after_edges, after_unreached = together(sys.argv[2].split(','))
total = 0
for k in sorted(after_edges):
    gain = after_edges[k] - before_edges.get(k, 0)
    if gain <= 0:
        continue
    total += gain
    name, path = k
    new = 'new function, ' if k not in before_edges else ''
    print(f'+{gain} {new}{name} ({path})')
    b, a = before_unreached.get(k, collections.Counter()), after_unreached.get(k, collections.Counter())
    for place in sorted(set(b) | set(a)):
        if b[place] > a[place]:
            kind = 'meritlist line' if own(place) else 'inlined'
            print(f'    {place}  {b[place]} -> {a[place]} unreached ({kind})')
print(f'meritlist functions gained {total} edges')
