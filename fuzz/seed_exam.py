#!/usr/bin/env python3
"""seed_exam.py OUTDIR [EXAM.toml ...]

Seeds for the `exam_file` target, made from real exam files (by default
the samples' and the examples' exam.toml): every `key = value` line with
its value replaced by each of a set of wrong or edge values (other
types, empty, zero, negative, huge, fractional, a date, an array, an
inline table), removed, or repeated; and every table given each key
the dictionary knows, at each of those values. Mutating the fuzzer's own
way reaches few of these: a key's checks need the key spelled right, in
the right table, with a value of the right type nearly right. Files are
named `variant-<SHA-1>`. See fuzz/README.md,
"Eighteenth session"."""
import hashlib, os, re, sys, glob

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VALUES = ['""', '" "', '"x"', '"0"', '0', '-1', '1', '2', '3', '100', '101', '1000001',
          '99999999999999999999', '1.5', '0.005', '-0.5', '1e3', 'nan', 'inf', 'true', 'false',
          '2026-09-30', '9999-12-31', '0001-01-01', '2026-09-30T10:00:00', '[]', '[""]',
          '["x", "x"]', '[1, 2]', '{}', '{ x = 1 }', '"a#b"', '"#Sheet"', '"x.xlsx#"',
          '"x.csv#Sheet"', '"x.ods"', '"x.xls"', '"x.xlsb"', '"x.txt"', '"x.tsv"',
          '"component:x"', '"raw_score"', '"lottery"', '"min"', '"max"', '"ranked"',
          '"qualified"', '"passing"', '"all"', '"scored"', '"pass_fail"', '"entrance"',
          '"promotional"', '"officer"', '"sergeant"', '"=1+1"', '"\\u00e9"',
          '"' + 'x' * 1001 + '"', '"' + '\u00e9' * 1000 + '"', '["' + 'x' * 1001 + '"]']


def dict_words():
    words = []
    for line in open(os.path.join(HERE, 'dict', 'exam_file.dict')):
        m = re.match(r'^"([A-Za-z_][A-Za-z0-9_]*)"$', line.strip())
        if m:
            words.append(m.group(1))
    return words


def variants(text, keys):
    lines = text.split('\n')
    out = set()
    tables = []
    for i, line in enumerate(lines):
        if re.match(r'^\s*\[', line):
            tables.append(i)
        m = re.match(r'^(\s*)([A-Za-z0-9_."-]+)(\s*=\s*)(.*)$', line)
        if not m:
            continue
        for v in VALUES:
            out.add('\n'.join(lines[:i] + [m.group(1) + m.group(2) + m.group(3) + v] + lines[i + 1:]))
        out.add('\n'.join(lines[:i] + lines[i + 1:]))           # removed
        out.add('\n'.join(lines[:i + 1] + [line] + lines[i + 1:]))  # repeated
    for t in tables:
        for k in keys:
            for v in ('"x"', '1', 'true', '[]', '{}'):
                out.add('\n'.join(lines[:t + 1] + [f'{k} = {v}'] + lines[t + 1:]))
    return out


def main():
    outdir = sys.argv[1]
    exams = sys.argv[2:] or sorted(glob.glob(os.path.join(ROOT, 'samples', '*', 'exam.toml'))
                                   + glob.glob(os.path.join(ROOT, 'tests', 'examples', '*', 'exam.toml')))
    os.makedirs(outdir, exist_ok=True)
    keys = dict_words()
    n = 0
    for path in exams:
        for v in variants(open(path).read(), keys):
            b = v.encode()
            with open(os.path.join(outdir, 'variant-' + hashlib.sha1(b).hexdigest()), 'wb') as f:
                f.write(b)
            n += 1
    print(f'{n} seeds from {len(exams)} exam files in {outdir}')


main()
