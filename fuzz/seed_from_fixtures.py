#!/usr/bin/env python3
"""seed_from_fixtures.py [OUT_DIR]

Writes the bad-input catalogue's and the samples' inputs as seeds of the
fuzz targets, named fixture-<case>-<file>, under OUT_DIR/<target>/
(default fuzz/corpus): csv_rows gets each CSV behind a `,` delimiter byte,
xlsx_rows each workbook as it is, xls_rows each .xls as it is, xlsb_rows each .xlsb up to 100 KB as it is, ods_rows each .ods as it is, xlsx_parts each workbook's seven parts
(the order fuzz/src/lib.rs's XLSX_PARTS documents) joined by "\\n%%\\n",
exam_file each case's exam file, ingest_exam each case's CSV files in its
six slots (below). Run from the repository root, then re-select the corpora (fuzz/README.md).
"""
import glob, os, sys, zipfile

out = sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus"
PARTS = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml",
         "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "_rels/.rels"]

def name(path):
    return f"fixture-{os.path.basename(os.path.dirname(path))}-{os.path.basename(path)}"

for t in ("csv_rows", "xlsx_rows", "xlsx_parts"):
    os.makedirs(os.path.join(out, t), exist_ok=True)
for f in sorted(glob.glob("tests/fixtures/bad/*/*.xlsx") + glob.glob("samples/*/*.xlsx")):
    data = open(f, "rb").read()
    open(os.path.join(out, "xlsx_rows", name(f)), "wb").write(data)
    try:
        z = zipfile.ZipFile(f)
        names = set(z.namelist())
        parts = [z.read(p) if p in names else b"" for p in PARTS]
    except zipfile.BadZipFile:
        # Encrypted, truncated, not a zip, a part that fails its checksum
        # (shared-strings-declared-short): a seed of xlsx_rows only.
        continue
    open(os.path.join(out, "xlsx_parts", name(f)[: -len(".xlsx")]), "wb").write(b"\n%%\n".join(parts))
os.makedirs(os.path.join(out, "ods_rows"), exist_ok=True)
for f in sorted(glob.glob("tests/fixtures/bad/*/*.ods") + glob.glob("tests/fixtures/formats/*.ods")):
    open(os.path.join(out, "ods_rows", name(f)), "wb").write(open(f, "rb").read())
os.makedirs(os.path.join(out, "xlsb_rows"), exist_ok=True)
for f in sorted(glob.glob("tests/fixtures/bad/*/*.xlsb")):
    if os.path.getsize(f) <= 100_000:  # not the 976 KB of xlsb-shared-strings-huge
        open(os.path.join(out, "xlsb_rows", name(f)), "wb").write(open(f, "rb").read())
os.makedirs(os.path.join(out, "xls_rows"), exist_ok=True)
for f in sorted(glob.glob("tests/fixtures/bad/*/*.xls")):
    open(os.path.join(out, "xls_rows", name(f)), "wb").write(open(f, "rb").read())
for f in sorted(glob.glob("tests/fixtures/bad/*/*.csv") + glob.glob("samples/*/*.csv")):
    open(os.path.join(out, "csv_rows", name(f)), "wb").write(b"," + open(f, "rb").read())

# exam_file: each case's exam file as it is (the samples' are already seeds,
# sample-<exam>.toml).
os.makedirs(os.path.join(out, "exam_file"), exist_ok=True)
for f in sorted(glob.glob("tests/fixtures/bad/*/exam.toml")):
    open(os.path.join(out, "exam_file", name(f)), "wb").write(open(f, "rb").read())

# ingest_exam scores its own fixed exam (fuzz/src/lib.rs INGEST_EXAM): six
# CSV parts (applicants, written, oral, agility, determinations, clearances)
# joined by "\n%%\n"; an empty part takes the harness's default. A case's CSV
# files go in their slots, the score files' ID column renamed to the fixed
# exam's "Candidate No"; the agility file, which no case has, passes every ID
# the written file gives, so a case that is otherwise good reaches the rules.
SLOTS = ["applicants.csv", "written.csv", "oral.csv", "agility.csv", "determinations.csv", "clearances.csv"]
os.makedirs(os.path.join(out, "ingest_exam"), exist_ok=True)
for case in sorted(glob.glob("tests/fixtures/bad/*/") + glob.glob("samples/*/")):
    files = {os.path.basename(f): open(f, "rb").read() for f in glob.glob(case + "*.csv")}
    if not files:
        continue
    parts = []
    for slot in SLOTS:
        data = files.get(slot, b"")
        if slot in ("written.csv", "oral.csv", "agility.csv") and data:
            head, _, rest = data.partition(b"\n")
            data = head.replace(b"applicant_id", b"Candidate No", 1) + b"\n" + rest
        parts.append(data)
    if not parts[3] and parts[1]:
        ids = [line.split(b",")[0] for line in parts[1].split(b"\n")[1:] if line.strip()]
        parts[3] = b"Candidate No,Agility\n" + b"".join(i + b",pass\n" for i in ids)
    label = os.path.basename(os.path.dirname(case))
    open(os.path.join(out, "ingest_exam", f"fixture-{label}"), "wb").write(b"\n%%\n".join(parts))
# The harness's own default files, which score: spelled as one separator (two
# empty parts), because libFuzzer skips an empty seed file.
open(os.path.join(out, "ingest_exam", "fixture-harness-defaults"), "wb").write(b"\n%%\n")
