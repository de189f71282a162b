#!/usr/bin/env python3
"""seed_words.py [OUT_DIR]

Writes seeds that put every word the ingest code reads in a cell -- the
pass/fail and yes/no words (src/fields.rs, pass_fail_word and bool_word,
which table::data_above_header asks of a row above the header) and the
spreadsheet error values (is_error_text) -- in a row above the header, in
each of its spellings' paths (as written, upper case, padded), as
csv_rows, xlsx_parts and xlsx_rows inputs named words-<target>-<n>, under
OUT_DIR/<target>/ (default fuzz/corpus). The fuzzers were still finding
these one match arm at a time after hours (fuzz/README.md, fourteenth
session). Run from the repository root, then re-select the corpora.
"""
import io, os, re, sys, zipfile
from xml.sax.saxutils import escape

out = sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus"
# Keep in step with src/fields.rs.
PASS_FAIL = ["pass", "passed", "p", "fail", "failed"]
BOOL = ["yes", "y", "true", "t", "1", "x", "no", "n", "false", "f", "0"]
ERRORS = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
          "#GETTING_DATA", "#SPILL!", "#CALC!"]

def spellings(w):
    # As written, upper case, padded (the general path), and the near
    # misses of the same length (a word's last or first letter changed),
    # which the compiled match tells apart byte by byte.
    return [w, w.upper(), f" {w.capitalize()}\u00a0", w[:-1] + "~", "~" + w[1:]]

rows = []  # the text of the word's cell, one seed each
for w in PASS_FAIL + BOOL:
    for s in spellings(w):
        rows.append(s)
for e in ERRORS:
    rows.append(e)
    rows.append(e.lower())

def csv(word):
    w = '"' + word.replace('"', '""') + '"' if ("," in word or '"' in word) else word
    return ("," + f"1001,{w},85\nApplicant ID,Agility,Written\n1002,pass,90\n").encode()

def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'

def sheet(word):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row r="1"><c r="A1"><v>1001</v></c>{inline("B1", word)}<c r="C1"><v>85</v></c></row>'
            f'<row r="2">{inline("A2", "Applicant ID")}{inline("B2", "Agility")}{inline("C2", "Written")}</row>'
            f'<row r="3"><c r="A3"><v>1002</v></c>{inline("B3", "pass")}<c r="C3"><v>90</v></c></row>'
            '</sheetData></worksheet>').encode()

# xlsx_rows: the sheet with the other six parts of fuzz/src/lib.rs's
# XLSX_PARTS, deflated as a spreadsheet program writes them.
DEFAULTS = re.findall(r'\(\s*"([^"]+)",\s*r#"(.*?)"#,?\s*\)', 
                      open("fuzz/src/lib.rs").read().split("pub const XLSX_PARTS")[1].split("];")[0], re.S)
assert [n for n, _ in DEFAULTS][:1] == ["xl/worksheets/sheet1.xml"] and len(DEFAULTS) == 7, DEFAULTS

def workbook(word):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in DEFAULTS:
            data = sheet(word) if name == "xl/worksheets/sheet1.xml" else text.encode()
            z.writestr(zipfile.ZipInfo(name, (2027, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()

for target, make in (("csv_rows", csv), ("xlsx_parts", sheet), ("xlsx_rows", workbook)):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    for n, word in enumerate(rows):
        with open(os.path.join(out, target, f"words-{target}-{n:02}"), "wb") as f:
            f.write(make(word))
print(f"{len(rows)} seeds each for csv_rows, xlsx_parts and xlsx_rows")
