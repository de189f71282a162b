#!/usr/bin/env python3
"""seed_xls.py [OUT_DIR]

Writes hand-made seeds of the xls_rows target (Excel 97-2003 workbooks, by
xlwt: pip install xlwt) under OUT_DIR (default fuzz/corpus/xls_rows), each
reaching a part of calamine's .xls reader the catalogue's one workbook does
not: merged cells, a formula, booleans, text with accents, a second sheet;
a hidden first sheet; the 1904 date system. Byte-identical on every run.
"""
import datetime, io, os, struct, sys
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

# The same records in containers xlwt does not write, for the paths
# calamine takes (and ingest/cfb.rs emulates) that no xlwt file reaches: a
# stream under 4,096 bytes, read from the mini stream; a stream named "Book"
# (Excel 5); 4,096-byte sectors (a version-4 compound file).
END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def compound(stream, name="Workbook", big_sectors=False):
    """A compound file holding one stream: `stream` under `name`."""
    size = 4096 if big_sectors else 512
    sectors = []  # each `size` bytes, numbered from 0

    def put(data):
        """Stores `data` in new consecutive sectors; its first number."""
        first = len(sectors)
        data = data + bytes(-len(data) % size)
        for i in range(0, max(len(data), size), size):
            sectors.append(data[i:i + size])
        return first, len(data) // size

    fat_at, _ = put(bytes(size))  # the FAT, one sector, filled in below
    chains = []
    # The mini stream holds `stream` if it is short, else one unused
    # sector (calamine wants the root entry of a version-4 file to have a
    # first sector).
    mini = len(stream) < 4096
    ministream = stream if mini else bytes(64)
    ministream += bytes(-len(ministream) % 64)
    n = len(ministream) // 64
    minifat = [i + 1 for i in range(n - 1)] + [END]
    minifat += [FREE] * (-len(minifat) % (size // 4))
    minifat_at, k = put(struct.pack("<%dI" % len(minifat), *minifat))
    chains.append((minifat_at, k))
    root_at, k = put(ministream)
    chains.append((root_at, k))
    root_len = len(ministream)
    if mini:
        start = 0
    else:
        start, k = put(stream)
        chains.append((start, k))

    def entry(name, kind, start, length, child=NOSTREAM):
        e = bytearray(128)
        u = name.encode("utf-16-le") + b"\0\0"
        e[:len(u)] = u
        struct.pack_into("<HBB", e, 64, len(u), kind, 1)
        struct.pack_into("<III", e, 68, NOSTREAM, NOSTREAM, child)
        struct.pack_into("<I", e, 116, start)
        struct.pack_into("<Q" if big_sectors else "<I", e, 120, length)
        return bytes(e)

    directory = entry("Root Entry", 5, root_at, root_len, child=1)
    directory += entry(name, 2, start, len(stream))
    dir_at, k = put(directory + bytes(128 * (size // 128 - 2)))
    chains.append((dir_at, k))
    fat = [FREE] * (size // 4)
    fat[fat_at] = FATSECT
    for first, k in chains:
        for i in range(first, first + k - 1):
            fat[i] = i + 1
        fat[first + k - 1] = END
    sectors[fat_at] = struct.pack("<%dI" % len(fat), *fat)
    head = bytearray(512)
    head[:8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
    struct.pack_into("<HHHHH", head, 24, 0x3E, 4 if big_sectors else 3, 0xFFFE,
                     12 if big_sectors else 9, 6)
    struct.pack_into("<IIIIIIII", head, 40, 0, 1, dir_at, 0, 4096,
                     minifat_at, 1, END)
    struct.pack_into("<I", head, 72, 0)
    struct.pack_into("<109I", head, 76, fat_at, *([FREE] * 108))
    head = bytes(head) + bytes(size - 512)
    return head + b"".join(sectors)


def records(book):
    """xlwt's workbook stream, unpadded."""
    return book.get_biff_data()


def write(name, data):
    open(os.path.join(out, name), "wb").write(data)


book = xlwt.Workbook()
scores(book.add_sheet("Scores"))
small = records(book)
assert len(small) < 4096
write("seed-xls-mini-stream.xls", compound(small))
write("seed-xls-mini-stream-4096-byte-sectors.xls", compound(small, big_sectors=True))
write("seed-xls-stream-named-book.xls", compound(small, name="Book"))
book = xlwt.Workbook()
sheet = book.add_sheet("Scores")
for r in range(300):
    sheet.write(r, 0, 1001 + r)
    sheet.write(r, 1, 70 + r % 30)
large = records(book)
assert len(large) >= 4096
write("seed-xls-4096-byte-sectors.xls", compound(large, big_sectors=True))

# Shared strings (the SST record) that run on into CONTINUE records, where
# a string resumes after a fresh flags byte (ingest/biff.rs counts their
# lengths, fuzz/README.md finding 16): long strings of one-byte and of
# two-byte characters, a character outside the BMP, rich text (formatting
# runs after the characters), and many short strings.
book = xlwt.Workbook()
sheet = book.add_sheet("Scores")
scores(sheet)
sheet.write(5, 0, "Núñez-" * 1500)
sheet.write(5, 1, "Ωμέγα " * 800 + "\U0001F600")
sheet.write(6, 0, "Núñez-" * 1500)
bold = xlwt.easyfont("bold true")
sheet.write_rich_text(6, 1, ["Zoë ", ("Núñez" * 900, bold), " Jr."])
for i in range(600):
    sheet.write(7 + i // 10, 3 + i % 10, "applicant %d é" % i)
save("seed-xls-shared-strings-continued.xls", book)

# Formulas of many kinds (ingest/xls_formula.rs walks their tokens as
# calamine does, fuzz/README.md finding 17): functions of fixed and of
# variable arguments, text, a reference to another sheet, brackets, unary
# minus and percent, a number calamine writes out digit by digit.
book = xlwt.Workbook()
sheet = book.add_sheet("Scores")
scores(sheet)
other = book.add_sheet("Other sheet")
other.write(0, 0, 5)
for i, f in enumerate([
    'SUM(A1:B3)+IF(B2>70,"pass","fail")&TEXT(1.5,"0.0")',
    '-B2%*(B3+B4)/2',
    "'Other sheet'!A1*ROUND(AVERAGE(B2:B4),2)",
    "1.5E+307*10+MAX(B2,B3,B4)-MIN(B2:B4)",
    'IF(AND(B2>=70,B3<>0),TRUE,FALSE)',
    'CONCATENATE("a","b","c")',
]):
    sheet.write(5 + i, 0, xlwt.Formula(f))
save("seed-xls-formulas.xls", book)
