#!/usr/bin/env python3
"""seed_package.py [OUT_DIR]

Writes xlsx_rows seeds (whole .xlsx files) that vary the package around
the sheet rather than the sheet: where the relationships put the workbook
and its sheets and how they spell the path, which parts are named
`.rels`, a second sheet with merged cells or shared formulas, parts the
zip reader cannot open (an unsupported compression method, the encrypted
flag, a wrong CRC), and names it reads oddly -- the branches of
xml::Package::open, xml::named_by_package, xml::MaySheets::of and
table::vet_worksheets that the fuzzers were still reaching one edge at a
time after hours (fuzz/README.md, fifteenth session). Named
package-xlsx_rows-<case>, under OUT_DIR/xlsx_rows/ (default fuzz/corpus).
Run from the repository root, then re-select the corpus.
"""
import io, os, re, struct, sys, zipfile

out = sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus"
DEFAULTS = dict(re.findall(
    r'\(\s*"([^"]+)",\s*r#"(.*?)"#,?\s*\)',
    open("fuzz/src/lib.rs").read().split("pub const XLSX_PARTS")[1].split("];")[0], re.S))
assert len(DEFAULTS) == 7 and "xl/worksheets/sheet1.xml" in DEFAULTS, DEFAULTS.keys()

SHEET = DEFAULTS["xl/worksheets/sheet1.xml"]
WORKBOOK = DEFAULTS["xl/workbook.xml"]
WB_RELS = DEFAULTS["xl/_rels/workbook.xml.rels"]
PKG_RELS = DEFAULTS["_rels/.rels"]
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RELS_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'


def rels(*targets):
    """A relationship part: (type, target or None) pairs."""
    body = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}{t}"'
        + ("" if target is None else f' Target="{target}"') + "/>"
        for i, (t, target) in enumerate(targets, 1))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships {RELS_NS}>{body}</Relationships>'


def workbook(*sheets):
    """The workbook part naming sheets (name, rId, state)."""
    body = "".join(
        f'<sheet name="{n}" sheetId="{i}" r:id="{rid}"' + (f' state="{s}"' if s else "") + "/>"
        for i, (n, rid, s) in enumerate(sheets, 1))
    return WORKBOOK.replace(
        '<sheets><sheet name="Applicants" sheetId="1" r:id="rId1"/></sheets>', f"<sheets>{body}</sheets>")


def sheet(rows, extra=""):
    """A worksheet of inline-string and number cells, with `extra` after
    sheetData (merges)."""
    def cell(ref, v):
        if isinstance(v, str) and v.startswith("="):
            return f'<c r="{ref}"><f{v[1:]}</f><v>1</v></c>'
        if isinstance(v, str):
            return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
        return f'<c r="{ref}"><v>{v}</v></c>'
    body = "".join(
        f'<row r="{r}">' + "".join(cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, 1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>'
            f"<sheetData>{body}</sheetData>{extra}</worksheet>")


TABLE = [["Applicant ID", "Written"], [1001, 81.5], [1002, 77]]
MERGES = '<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>'
SHARED = [["Applicant ID", "Written"], [1001, '= t="shared" ref="B2:B3" si="0">1+1'],
          [1002, '= t="shared" si="0">']]
TWO = rels(("worksheet", "worksheets/sheet1.xml"), ("worksheet", "worksheets/sheet2.xml"),
           ("styles", "styles.xml"), ("sharedStrings", "sharedStrings.xml"))


def package(**changes):
    """The default parts, with `changes` (name -> text, or None to drop)."""
    parts = dict(DEFAULTS)
    for name, text in changes.items():
        if text is None:
            parts.pop(name, None)
        else:
            parts[name] = text
    return parts


def zipped(parts, stored=(), method=None, flags=None, bad_crc=(), raw_names=None):
    """The parts zipped (deflated unless in `stored`), then patched: the
    compression method or general-purpose flags of the parts in `method`
    and `flags` (name -> value) rewritten in both headers, the last byte
    of each stored part in `bad_crc` changed, and the names in `raw_names`
    (name -> bytes of the same length) written as those bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in parts.items():
            kind = zipfile.ZIP_STORED if name in stored or name in bad_crc else zipfile.ZIP_DEFLATED
            data = text if isinstance(text, bytes) else text.encode()
            info = zipfile.ZipInfo(name, (2027, 1, 1, 0, 0, 0))
            info.compress_type = kind
            z.writestr(info, data)
    b = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(b))) as z:
        infos = z.infolist()
    for info in infos:
        local = info.header_offset
        central = central_header(b, info.orig_filename.encode())
        for name_map, off in ((method or {}, 8), (flags or {}, 6)):
            if info.orig_filename in name_map:
                for at in (local, central):
                    field = at + off if at == local else at + off + 2
                    struct.pack_into("<H", b, field, name_map[info.orig_filename])
        if info.orig_filename in bad_crc:
            n, e = struct.unpack_from("<HH", b, local + 26)
            start = local + 30 + n + e
            b[start + info.file_size - 1] ^= 0x20
        raw = (raw_names or {}).get(info.orig_filename)
        if raw is not None:
            assert len(raw) == len(info.orig_filename)
            b[local + 30:local + 30 + len(raw)] = raw
            b[central + 46:central + 46 + len(raw)] = raw
    return bytes(b)


def central_header(b, name):
    at = 0
    while True:
        at = b.index(b"PK\x01\x02", at)
        n = struct.unpack_from("<H", b, at + 28)[0]
        if b[at + 46:at + 46 + n] == name:
            return at
        at += 4


WB = "xl/workbook.xml"
WBR = "xl/_rels/workbook.xml.rels"
PR = "_rels/.rels"
S1 = "xl/worksheets/sheet1.xml"
CASES = {
    # The package's relationships: where they put the workbook, spelled how.
    "rels-upper-case-name": package(**{PR: None, "_RELS/.RELS": PKG_RELS}),
    "rels-missing": package(**{PR: None}),
    "rels-dot-slash": package(**{PR: PKG_RELS.replace('Target="xl/', 'Target="./xl/')}),
    "rels-root-slash": package(**{PR: PKG_RELS.replace('Target="xl/', 'Target="/xl/')}),
    "rels-escaped": package(**{PR: PKG_RELS.replace('Target="xl/workbook', 'Target="xl/work&#98;ook')}),
    "rels-bad-escape": package(**{PR: PKG_RELS.replace('Target="xl/workbook', 'Target="xl/&bogus;workbook')}),
    "rels-single-quotes": package(**{PR: PKG_RELS.replace('Target="xl/workbook.xml"', "Target='xl/workbook.xml'")}),
    "rels-unterminated": package(**{PR: PKG_RELS.replace('workbook.xml"/></Relationships>', "workbook.xml")}),
    "rels-spaced-equals": package(**{PR: PKG_RELS.replace('Target="', 'Target = \n "')}),
    "rels-damaged": zipped(package(), bad_crc=(PR,)),
    "rels-unreadable-method": zipped(package(), method={PR: 14}),
    # A workbook part named like a worksheet, which must not be left for later.
    "workbook-in-worksheets": package(**{
        WB: None, WBR: None,
        PR: rels(("officeDocument", "xl/worksheets/sheet9.xml")),
        "xl/worksheets/sheet9.xml": WORKBOOK,
        "xl/worksheets/_rels/sheet9.xml.rels": rels(
            ("worksheet", "sheet1.xml"), ("styles", "../styles.xml"),
            ("sharedStrings", "../sharedStrings.xml"))}),
    # Where the workbook's relationships put its sheets.
    "sheet-outside-folder": package(**{
        S1: None, "xl/data/applicants.xml": sheet(TABLE, MERGES),
        WBR: rels(("worksheet", "data/applicants.xml"), ("styles", "styles.xml"))}),
    "sheet-absolute-target": package(**{WBR: rels(("worksheet", "/xl/worksheets/sheet1.xml"))}),
    "sheet-backslash-target": package(**{WBR: rels(("worksheet", "worksheets\\sheet1.xml"))}),
    "sheet-upper-case": package(**{S1: None, "XL/WORKSHEETS/SHEET1.XML": sheet(TABLE, MERGES)}),
    "sheet-no-target": package(**{S1: None, "xl/": sheet(TABLE), WBR: rels(("worksheet", None))}),
    "sheet-odd-name-in-folder": package(**{
        S1: None, "xl/worksheets/applicants.xml": sheet(TABLE, MERGES),
        WBR: rels(("worksheet", "worksheets/applicants.xml"))}),
    "sheet-is-styles": package(**{WBR: rels(("worksheet", "styles.xml"), ("styles", "styles.xml"))}),
    "shared-strings-in-folder": package(**{
        "xl/sharedStrings.xml": None,
        "xl/worksheets/sharedStrings.xml": DEFAULTS["xl/sharedStrings.xml"],
        WBR: rels(("worksheet", "worksheets/sheet1.xml"), ("sharedStrings", "worksheets/sharedStrings.xml"))}),
    # Two sheets: merges or shared formulas in the second only, or in both.
    "second-sheet-merges": package(**{
        WB: workbook(("Applicants", "rId1", None), ("Old", "rId2", None)), WBR: TWO,
        "xl/worksheets/sheet2.xml": sheet(TABLE, MERGES)}),
    "second-sheet-hidden": package(**{
        WB: workbook(("Applicants", "rId1", None), ("Old", "rId2", "hidden")), WBR: TWO,
        "xl/worksheets/sheet2.xml": sheet(TABLE)}),
    "both-sheets-merges": package(**{
        WB: workbook(("Applicants", "rId1", None), ("Old", "rId2", "veryHidden")), WBR: TWO,
        S1: sheet(TABLE, MERGES), "xl/worksheets/sheet2.xml": sheet(TABLE, MERGES)}),
    "second-sheet-shared-formulas": package(**{
        WB: workbook(("Applicants", "rId1", None), ("Old", "rId2", None)), WBR: TWO,
        "xl/worksheets/sheet2.xml": sheet(SHARED)}),
    "sheet-shared-formulas": package(**{S1: sheet(SHARED)}),
    # More relationship parts than the two: a sheet's own, many targets.
    "sheet-rels": package(**{
        "xl/worksheets/_rels/sheet1.xml.rels": rels(
            ("hyperlink", "https://example.org/a?b=1&amp;c='2'"), ("drawing", "../drawings/drawing1.xml")),
        "xl/drawings/drawing1.xml": "<xdr:wsDr/>"}),
    "many-targets": package(**{
        "xl/worksheets/_rels/sheet1.xml.rels": rels(*[("image", f"../media/image{i}.png") for i in range(300)])}),
    # Parts the zip reader cannot open or name as written.
    "part-unsupported-method": zipped(package(**{"xl/worksheets/sheet2.xml": sheet(TABLE, MERGES)}),
                                      method={"xl/worksheets/sheet2.xml": 14}),
    "part-encrypted-flag": zipped(package(**{"xl/worksheets/sheet2.xml": sheet(TABLE, MERGES)}),
                                  flags={"xl/worksheets/sheet2.xml": 1}),
    "sheet-damaged": zipped(package(), bad_crc=(S1,)),
    "sheet-unsupported-method": zipped(package(**{S1: sheet(TABLE, MERGES)}), method={S1: 14}),
    "styles-stored": zipped(package(), stored=tuple(DEFAULTS)),
    "duplicate-sheet": package(**{"xl/worksheets/Sheet1.xml": sheet(TABLE, MERGES)}),
    # Not UTF-8: the zip reader reads the name as code page 437 (0x8e: Ä).
    "cp437-name": zipped(package(**{
        "xl/worksheets/sheetX.xml": sheet(TABLE, MERGES),
        WBR: rels(("worksheet", "worksheets/sheet1.xml"), ("worksheet", "worksheets/sheet\u00c4.xml"))}),
        raw_names={"xl/worksheets/sheetX.xml": b"xl/worksheets/sheet\x8e.xml"}),
    "binary-part": package(**{"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(200)}),
}


def as_zip(parts):
    return parts if isinstance(parts, bytes) else zipped(parts)


os.makedirs(os.path.join(out, "xlsx_rows"), exist_ok=True)
for case, parts in CASES.items():
    with open(os.path.join(out, "xlsx_rows", f"package-xlsx_rows-{case}"), "wb") as f:
        f.write(as_zip(parts))
print(f"{len(CASES)} seeds for xlsx_rows")
