#!/usr/bin/env python3
"""seed_xls.py [OUT_DIR]

Writes hand-made seeds of the xls_rows target (Excel 97-2003 workbooks, by
xlwt: pip install xlwt) under OUT_DIR (default fuzz/corpus/xls_rows), each
reaching a part of calamine's .xls reader the catalogue's one workbook does
not: merged cells, a formula, booleans, text with accents, a second sheet;
a hidden first sheet; the 1904 date system. Byte-identical on every run.
"""
import datetime, io, os, sys
import xlwt

out = sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus/xls_rows"
os.makedirs(out, exist_ok=True)
DATE = xlwt.easyxf(num_format_str="yyyy-mm-dd")

def scores(sheet, first=1001):
    sheet.write(0, 0, "applicant_id")
    sheet.write(0, 1, "written")
    sheet.write(0, 2, "received_on")
    for i in range(3):
        sheet.write(1 + i, 0, first + i)
        sheet.write(1 + i, 1, 70 + 7.5 * i)
        sheet.write(1 + i, 2, datetime.date(2026, 9, 1 + i), DATE)

def save(name, book):
    b = io.BytesIO()
    book.save(b)
    open(os.path.join(out, name), "wb").write(b.getvalue())

book = xlwt.Workbook()
s = book.add_sheet("Scores")
s.write_merge(0, 0, 0, 3, "Police Officer written examination - Form A")
s.write(1, 0, "Applicant ID")
s.write(1, 1, "Written")
s.write(1, 2, "Passed")
s.write(1, 3, "Name")
s.write(2, 0, "1001")
s.write(2, 1, xlwt.Formula("40*2"))
s.write(2, 2, True)
s.write(2, 3, "Zoë Núñez")
s.write(3, 0, 1002)
s.write(3, 1, 90.25)
s.write(3, 2, False)
s.write_merge(3, 4, 3, 3, "merged")
scores(book.add_sheet("Other"), 2001)
save("seed-xls-merged-formula-bool.xls", book)

book = xlwt.Workbook()
lookup = book.add_sheet("Lookup")
lookup.write(0, 0, "code")
lookup.visibility = 1
scores(book.add_sheet("Scores"))
save("seed-xls-hidden-first-sheet.xls", book)

book = xlwt.Workbook()
book.dates_1904 = True
scores(book.add_sheet("Scores"))
save("seed-xls-1904.xls", book)
