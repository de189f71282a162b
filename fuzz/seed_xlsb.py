#!/usr/bin/env python3
"""seed_xlsb.py [OUT_DIR]

Writes seeds of the xlsb_parts target (default fuzz/corpus/xlsb_parts):
each the parts xl/workbook.bin, xl/worksheets/sheet1.bin and
xl/sharedStrings.bin of an .xlsb written by the catalogue's writer
(tests/fixtures/bad/make.py, `xlsb`), separated by "\\n%%\\n", as
`xlsb_parts` takes them; and whole .xlsb files, sound and with damaged
zip headers (a part declared shorter or longer than it is, a wrong
checksum, parts stored), as seeds of xlsb_rows, in the xlsb_rows folder
beside OUT_DIR. Byte-identical on every run.
"""
import importlib.util, io, os, struct, sys, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "make", os.path.join(HERE, "..", "tests", "fixtures", "bad", "make.py"))
make = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make)

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus", "xlsb_parts")
os.makedirs(out, exist_ok=True)
ROWS = [["applicant_id", "written"], ["1001", 80.0], [1002, 90.5]]


def seed(name, book):
    z = zipfile.ZipFile(io.BytesIO(book))
    parts = [z.read(p) if p in z.namelist() else b""
             for p in ("xl/workbook.bin", "xl/worksheets/sheet1.bin", "xl/sharedStrings.bin")]
    open(os.path.join(out, name), "wb").write(b"\n%%\n".join(parts))


nested = b"\x1e\x01\x00"
for _ in range(70):
    nested = b"\x29" + struct.pack("<H", len(nested)) + nested
formulas = [
    ("Sum", b"\x1e\x01\x00\x1e\x02\x00\x22\x02\x04\x00"),
    ("Sheet", b"\x3a" + bytes(8)),
    ("Area", b"\x3b" + bytes(14)),
    ("Text", b"\x17\x02\x00a\x00b\x00"),
    ("Number", b"\x1f" + struct.pack("<d", 1e308)),
    ("Minus", b"\x1e\x05\x00\x13\x15\x14"),
    ("Twice", b"\x23\x01\x00\x00\x00\x23\x02\x00\x00\x00\x03"),
    ("Inner", b"\x29\x03\x00\x1e\x01\x00"),
]
seed("seed-xlsb-names.xlsb-parts", make.xlsb(ROWS, names=formulas))
seed("seed-xlsb-brackets.xlsb-parts",
     make.xlsb(ROWS, names=[("X", b"\x1e\x01\x00" + b"\x15" * 2000)]))
seed("seed-xlsb-nested.xlsb-parts", make.xlsb(ROWS, names=[("X", nested)]))
seed("seed-xlsb-strings.xlsb-parts",
     make.xlsb(ROWS, strings=["applicant_id", "written", "Zoë Núñez"]))


# xlsb_rows: whole files. The zip's headers are the point of this target
# (finding 31: a part running past its declared size), so each seed is a
# workbook with names, a shared-strings part and a sheet, sound or with
# one header of one part changed.
rows_out = os.path.join(os.path.dirname(os.path.abspath(out)), "xlsb_rows")
os.makedirs(rows_out, exist_ok=True)


def whole(name, book):
    open(os.path.join(rows_out, name), "wb").write(book)


# Names first, padded with records calamine passes over so the parts
# reach past the 8 KB of one read.
padding = [("Pad%d" % i, b"\x17\x40\x00" + b"p\x00" * 64) for i in range(120)]
deep = b"\x1e\x01\x00"  # 60 deep: under the guard's bound of 64, read by calamine
for _ in range(60):
    deep = b"\x29" + struct.pack("<H", len(deep)) + deep
# Only the formulas calamine writes out without a panic ("Sheet" and
# "Area" name a sheet the workbook has no list of; calamine stops on them).
readable = [f for f in formulas if f[0] not in ("Sheet", "Area")]
full = make.xlsb(ROWS, names=readable + padding + [("Deep", deep)],
                 strings=["applicant_id", "written", "Zoë Núñez"])
whole("seed-xlsb-rows-sound.xlsb", full)
whole("seed-xlsb-rows-stored.xlsb", make.rezip(full, lambda parts: parts, zipfile.ZIP_STORED))
sizes = {i.filename: i.file_size for i in zipfile.ZipFile(io.BytesIO(full)).infolist()}
for part, short in (("xl/workbook.bin", "workbook"), ("xl/worksheets/sheet1.bin", "sheet"),
                    ("xl/sharedStrings.bin", "strings")):
    size = sizes[part]
    whole(f"seed-xlsb-rows-{short}-declared-short.xlsb", make.declare_size(full, part, size * 2 // 3))
    whole(f"seed-xlsb-rows-{short}-declared-long.xlsb", make.declare_size(full, part, size + 1000))
    whole(f"seed-xlsb-rows-{short}-wrong-crc.xlsb", make.header_field(full, part, 14, 16, 0x12345678))
stored = make.rezip(full, lambda parts: parts, zipfile.ZIP_STORED)
whole("seed-xlsb-rows-stored-workbook-declared-short.xlsb",
      make.declare_size(stored, "xl/workbook.bin", sizes["xl/workbook.bin"] * 2 // 3))
