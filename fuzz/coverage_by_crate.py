#!/usr/bin/env python3
"""coverage_by_crate.py OUT [OUT2]

OUT is what a fuzz target prints with `-runs=0 -print_coverage=1 CORPUS_DIR`.
Prints the covered edges by where the code is: meritlist's own src/, the
fuzz harness, each crate, std. With OUT2 (the same target on a later
corpus): the gain by origin, and the functions that gained, meritlist's
first. See fuzz/README.md, "Eighth session"."""
import re, sys, collections
def origin(path):
    if '/fuzz/' in path and ('fuzz_targets' in path or '/fuzz/src' in path): return 'harness'
    m = re.search(r'/registry/src/[^/]+/([^/]+?)-\d+\.\d+\.\d+[^/]*/', path) or re.search(r'/rust/deps/([^/]+?)-\d', path)
    if m: return m.group(1)
    if path.startswith('/rustc/'): return 'std'
    # meritlist's own code: any src/ outside the registry and the toolchain
    if '/src/' in path and '/.cargo/' not in path: return 'meritlist'
    return 'other'
def load(fn):
    funcs = {}
    for line in open(fn, errors='replace'):
        m = re.match(r'(UN)?COVERED_FUNC: hits: \d+ edges: (\d+)/(\d+) (.*) (\S+):\d+$', line.rstrip())
        if not m: continue
        cov, tot, name, path = int(m.group(2)), int(m.group(3)), m.group(4), m.group(5)
        key = (name, path)
        c0, t0 = funcs.get(key, (0, 0))
        funcs[key] = (max(c0, cov), max(t0, tot))
    return funcs
def per_origin(funcs):
    d = collections.defaultdict(lambda: [0, 0])
    for (name, path), (c, t) in funcs.items():
        o = origin(path); d[o][0] += c; d[o][1] += t
    return d
a = load(sys.argv[1]); pa = per_origin(a)
if len(sys.argv) == 2:
    for o, (c, t) in sorted(pa.items(), key=lambda x: -x[1][0]):
        print(f'{o:20} {c:6}/{t}')
    print('total', sum(c for c, t in pa.values()))
else:
    b = load(sys.argv[2]); pb = per_origin(b)
    print('origin               before  after  gain')
    for o in sorted(set(pa) | set(pb), key=lambda o: -(pb.get(o, [0])[0] - pa.get(o, [0])[0])):
        x, y = pa.get(o, [0, 0])[0], pb.get(o, [0, 0])[0]
        if x != y or o in ('meritlist', 'harness'): print(f'{o:20} {x:6} {y:6} {y - x:+5}')
    print('total', sum(c for c, t in pa.values()), '->', sum(c for c, t in pb.values()))
    gains = []
    for k, (c, t) in b.items():
        c0 = a.get(k, (0, 0))[0]
        if c != c0: gains.append((origin(k[1]) != 'meritlist', origin(k[1]), c - c0, k[0][:110], k[1].split('/')[-1]))
    for g in sorted(gains)[:60]: print(f'  {g[1]:12} {g[2]:+4} {g[3]}  ({g[4]})')
