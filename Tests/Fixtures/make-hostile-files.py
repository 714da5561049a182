#!/usr/bin/env python3
"""Writes the hostile-files corpus (HostileFilesTests) into OUTDIR: crafted result tables
(.xlsx zip and XML tricks), JSON Lines and TSV lines, SRT and LongVideoBench subtitle files.
Standard library only; nothing binary is kept in git. Usage: make-hostile-files.py OUTDIR

Every xlsx is a small MVBench result table (index, task_type, answer, candidates, prediction;
two rows, one right) unless its case changes that; the zip is written by hand so that any field
can be set to any value."""
import os
import struct
import sys
import zlib

out = sys.argv[1]
for sub in ("xlsx", "text", "srt", "lvb/subtitles"):
    os.makedirs(os.path.join(out, sub), exist_ok=True)

HEADER = ["index", "task_type", "answer", "candidates", "prediction"]
ROWS = [["0", "T", "walking", "['walking', 'running']", "A"], ["1", "T", "running", "['walking', 'running']", "A"]]


def col(n):  # 0-based -> letters
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet_xml(rows, extra_rows="", before="", inline=True):
    """rows: list of lists of text; inline strings (t="inlineStr")."""
    body = []
    for r, cells in enumerate(rows):
        cs = "".join(f'<c r="{col(c)}{r + 1}" t="inlineStr"><is><t>{esc(v)}</t></is></c>' for c, v in enumerate(cells))
        body.append(f'<row r="{r + 1}">{cs}</row>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{before}'
            f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + "".join(body) + extra_rows + "</sheetData></worksheet>").encode()


def shared_sheet(rows, sst_before="", sst_extra=""):
    """The same table through a shared-string table (what Excel and openpyxl write)."""
    strings, index, body = [], {}, []
    for r, cells in enumerate(rows):
        cs = ""
        for c, v in enumerate(cells):
            if v not in index:
                index[v] = len(strings)
                strings.append(v)
            cs += f'<c r="{col(c)}{r + 1}" t="s"><v>{index[v]}</v></c>'
        body.append(f'<row r="{r + 1}">{cs}</row>')
    sheet = ('<?xml version="1.0"?><worksheet><sheetData>' + "".join(body) + "</sheetData></worksheet>").encode()
    sst = (f'<?xml version="1.0"?>{sst_before}<sst count="{len(strings)}">' + "".join(f"<si><t>{esc(s)}</t></si>" for s in strings)
           + sst_extra + "</sst>").encode()
    return sheet, sst


WORKBOOK = (b'<?xml version="1.0"?><workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = (b'<?xml version="1.0"?><Relationships><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
        b'</Relationships>')


def parts(sheet, sst=None):
    p = [("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'), ("xl/workbook.xml", WORKBOOK),
         ("xl/_rels/workbook.xml.rels", RELS)]
    if sst is not None:
        p.append(("xl/sharedStrings.xml", sst))
    p.append(("xl/worksheets/sheet1.xml", sheet))
    return p


def deflate(data):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zipfile_bytes(entries, patch=None, eocd_patch=None, zip64_eocd=None):
    """entries: list of (name, data). patch(i, fields) may change an entry's central fields:
    dict with csize, usize, offset, crc, method, flags, extra (central), and 'cdata' (the
    compressed bytes written). eocd_patch(fields) changes count/dir_size/dir_offset."""
    local, central = bytearray(), bytearray()
    for i, (name, data) in enumerate(entries):
        nb = name.encode()
        comp = deflate(data)
        f = dict(csize=len(comp), usize=len(data), offset=len(local), crc=zlib.crc32(data), method=8, flags=0, extra=b"", cdata=comp)
        if patch:
            patch(i, name, f)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, f["flags"], f["method"], 0, 0, f["crc"], len(f["cdata"]) & 0xFFFFFFFF,
                             len(data) & 0xFFFFFFFF, len(nb), 0) + nb + f["cdata"]
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, f["flags"], f["method"], 0, 0, f["crc"], f["csize"], f["usize"],
                               len(nb), len(f["extra"]), 0, 0, 0, 0, f["offset"]) + nb + f["extra"]
    e = dict(count=len(entries), dir_size=len(central), dir_offset=len(local))
    if eocd_patch:
        eocd_patch(e)
    tail = b""
    if zip64_eocd is not None:  # a zip64 locator pointing at zip64_eocd
        tail = struct.pack("<IIQI", 0x07064B50, 0, zip64_eocd, 1)
    return bytes(local + central) + tail + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, e["count"], e["count"], e["dir_size"], e["dir_offset"], 0)


def write(rel, data):
    with open(os.path.join(out, rel), "wb") as f:
        f.write(data)


GOOD = parts(sheet_xml([HEADER] + ROWS))
write("xlsx/good.xlsx", zipfile_bytes(GOOD))
s, sst = shared_sheet([HEADER] + ROWS)
write("xlsx/good-shared.xlsx", zipfile_bytes(parts(s, sst)))


def on(name, fn):
    def patch(i, n, f):
        if n == name:
            fn(f)
    return patch


SHEET = "xl/worksheets/sheet1.xml"


# --- The two crashes of issue #13. ---
def zip64_offset(f):
    f["offset"] = 0xFFFFFFFF
    f["extra"] = struct.pack("<HHQ", 1, 8, 0xFFFFFFFFFFFFFFFF)


write("xlsx/crash-zip64-offset.xlsx", zipfile_bytes(GOOD, on(SHEET, zip64_offset)))
huge_ref = f'<row r="3"><c r="ABCDEFGHIJKL99999999999999999999" t="inlineStr"><is><t>x</t></is></c></row>'
write("xlsx/crash-cell-ref.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows=huge_ref))))

# --- Zip fields. ---
write("xlsx/zip64-eocd-locator-max.xlsx", zipfile_bytes(GOOD, zip64_eocd=0xFFFFFFFFFFFFFFFF))
write("xlsx/zip64-eocd-locator-past-end.xlsx", zipfile_bytes(GOOD, zip64_eocd=1 << 40))


def claims(n):
    def fn(f):
        f["usize"] = 0xFFFFFFFF
        f["extra"] = struct.pack("<HHQ", 1, 8, n)
    return fn


write("xlsx/claims-2e62-bytes.xlsx", zipfile_bytes(GOOD, on(SHEET, claims(1 << 62))))
write("xlsx/claims-3GiB.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(usize=3 << 30))))
write("xlsx/zip64-csize-max.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(csize=0xFFFFFFFF, extra=struct.pack("<HHQ", 1, 8, (1 << 64) - 1)))))
write("xlsx/zip64-extra-too-short.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(usize=0xFFFFFFFF, extra=struct.pack("<HHI", 1, 4, 7)))))
write("xlsx/extra-length-past-entry.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(extra=struct.pack("<HH", 0x5455, 0xFFFF)))))
write("xlsx/offset-past-end.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(offset=0x7FFFFFF0))))
write("xlsx/csize-past-end.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(csize=0x7FFFFFF0))))
write("xlsx/count-65535.xlsx", zipfile_bytes(GOOD, eocd_patch=lambda e: e.update(count=0xFFFF)))
write("xlsx/dir-offset-max.xlsx", zipfile_bytes(GOOD, eocd_patch=lambda e: e.update(dir_offset=0xFFFFFFFF)))
write("xlsx/dir-size-max.xlsx", zipfile_bytes(GOOD, eocd_patch=lambda e: e.update(dir_size=0xFFFFFFFF)))
write("xlsx/encrypted.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(flags=1))))
write("xlsx/method-bzip2.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(method=12))))
write("xlsx/crc-mismatch.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(crc=f["crc"] ^ 1))))
write("xlsx/stored-size-mismatch.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(method=0, cdata=sheet_xml([HEADER] + ROWS), csize=len(sheet_xml([HEADER] + ROWS)) - 5))))
write("xlsx/deflate-garbage.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(cdata=b"\xff" * 64, csize=64))))


# A deflate bomb that tells the truth about its compressed size but lies about its inflated
# size (1000 bytes; it inflates to 256 MiB): inflating must stop after 1000 bytes.
def bomb_data():
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"<row/>" * (1 << 20)
    body = bytearray(c.compress(b'<?xml version="1.0"?><worksheet><sheetData>'))
    for _ in range(256 // 6):
        body += c.compress(chunk)
    body += c.compress(b"</sheetData></worksheet>") + c.flush()
    return bytes(body)


bomb = bomb_data()
write("xlsx/deflate-bomb-lies.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(cdata=bomb, csize=len(bomb), usize=1000))))
# The same bomb, claiming 1.5 GiB: refused before inflating (over the 1 GiB limit).
write("xlsx/deflate-bomb-over-limit.xlsx", zipfile_bytes(GOOD, on(SHEET, lambda f: f.update(cdata=bomb, csize=len(bomb), usize=3 << 29))))

# Truncated at every structure boundary of the good file.
good = zipfile_bytes(GOOD)
eocd = good.rindex(b"PK\x05\x06")
cdir = good.index(b"PK\x01\x02")

for label, cut in [("in-first-local-header", 10), ("in-first-entry-data", 50), ("before-central-directory", cdir),
                   ("in-central-directory", cdir + 30), ("in-last-central-entry", eocd - 10), ("in-eocd", eocd + 10)]:
    write(f"xlsx/truncated-{label}.xlsx", good[:cut])
write("xlsx/empty.xlsx", b"")
write("xlsx/text.xlsx", b"index,prediction\n0,A\n")
write("xlsx/random.xlsx", bytes((i * 7919 + 13) % 251 for i in range(4096)))

# --- Sheet XML. ---
write("xlsx/cell-ref-13-letters.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows='<row r="3"><c r="ABCDEFGHIJKLM1"><v>1</v></c></row>'))))
write("xlsx/cell-ref-past-XFD.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows='<row r="3"><c r="XFE3"><v>1</v></c></row>'))))
write("xlsx/row-number-huge.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows='<row r="99999999999999999"><c><v>1</v></c></row>'))))
write("xlsx/row-number-past-grid.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows='<row r="1048577"><c><v>1</v></c></row>'))))
# One cell at the grid's far corner: one cell, read (it is a column of its own, 'Unnamed: 16383').
write("xlsx/cell-at-XFD1048576.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows='<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>'))))
# A diagonal of 3000 cells: a dense table of 3000 x 3000 for 3000 cells; refused as too sparse.
diag = "".join(f'<row r="{r}"><c r="{col(r)}{r}"><v>{r}</v></c></row>' for r in range(4, 3004))
write("xlsx/diagonal-3000.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows=diag))))
# 20,000 cells without references in one row: past XFD.
write("xlsx/row-of-20000-cells.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows='<row r="3">' + "<c><v>1</v></c>" * 20000 + "</row>"))))
write("xlsx/shared-index-huge.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows='<row r="3"><c r="A3" t="s"><v>99999999999999999999</v></c></row>'), b"<sst><si><t>a</t></si></sst>")))
write("xlsx/shared-index-negative.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, extra_rows='<row r="3"><c r="A3" t="s"><v>-1</v></c></row>'), b"<sst/>")))
laughs = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1) if i else "&lol;") * 10}">' for i in range(1, 10)) + "]>")
s, sst = shared_sheet([HEADER] + ROWS, sst_before=laughs, sst_extra="<si><t>&lol9;</t></si>")
write("xlsx/billion-laughs.xlsx", zipfile_bytes(parts(s, sst)))
write("xlsx/external-entity.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS, before='<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))))
# Undeclared entities and absurd character references stay text (nothing is expanded).
odd = [HEADER, ["0", "T", "walking", "['walking', 'running']", "A"], ["1", "T", "running", "['walking', 'running']", "A"]]
x = sheet_xml(odd).replace(b"<t>T</t>", b"<t>&xxe;&#99999999999;&#x110000;&#0;_xD800_</t>", 1)
write("xlsx/odd-entities.xlsx", zipfile_bytes(parts(x)))
# 100,000 nested elements around the sheet data: a flat scanner does not care.
write("xlsx/deep-nesting.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS).replace(b"<sheetData>", b"<a>" * 100000 + b"<sheetData>").replace(b"</sheetData>", b"</sheetData>" + b"</a>" * 100000))))
# Invalid UTF-8 in a cell: replacement characters, the table is read.
write("xlsx/invalid-utf8.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS).replace(b"<t>T</t>", b"<t>T\xff\xfe\xc0\xaf</t>", 1))))
write("xlsx/truncated-sheet-xml.xlsx", zipfile_bytes(parts(sheet_xml([HEADER] + ROWS)[:-60])))
write("xlsx/unterminated-tags.xlsx", zipfile_bytes(parts(b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>index</t></is></c><c r=\"B1")))

# --- JSON Lines and TSV (vprompt reads them; each bad line sits between good ones). ---
good_line = lambda i: '{"id":"%d","question":"q%d","candidates":"[\'a\', \'b\']","messages":[{"type":"text","value":"q"}]}' % (i, i)
lines = [
    good_line(1),
    "[" * 100000,  # 2: 100,000 levels: an error at level 513, not a stack overflow
    '{"id":"3","x":' + "[" * 600 + "]" * 600 + "}",  # 3: 600 levels, well-formed: too deep
    good_line(4),
    '{"id":"5","n":' + "9" * 1000000 + ',"question":"q5","candidates":"[\'a\', \'b\']","messages":[{"type":"text","value":"q"}]}',  # 5: a million digits: read
    '{"id":"6","question":"\\ud800"}',  # 6: unpaired surrogate
    '{"id":"7","question":"\\udc00\\ud800"}',  # 7: reversed pair
    good_line(8),
]
data = "\n".join(lines).encode() + b"\n"
data += b'{"id":"9","question":"\xc0\xaf overlong"}\n'  # 9: overlong UTF-8
data += b'{"id":"10","question":"\xed\xa0\x80 surrogate"}\n'  # 10: an encoded surrogate
data += b'{"id":"11","question":"nul \x00"}\n'  # 11: a raw NUL
data += (good_line(12) + "\n").encode()
write("text/hostile.jsonl", data)
tsv = "index\tvideo\tquestion\tcandidates\n0\tv\tq0\t['a', 'b']\n"
tsv += "1" + "\t" * 1000000 + "\n"  # line 3: a million cells
tsv += "2\tv\tq2\t['a', 'b']\n"
tsv += '3\tv\t"never closed\n' + "x\n" * 1000  # line 5: runs to the end inside a quote
write("text/hostile.tsv", tsv.encode())

# --- SRT (vprompt --template videomme --subtitles). ---
srt = {
    "huge-numbers.srt": "99999999999999999999999999\n99999999999999999999:00:00,000 --> 00:00:09,000\nbad\n\n2\n00:00:00,000 --> 00:00:09,000\ngood\n",
    "signs.srt": "1\n-00:00:00,000 --> +00:00:09,000\nsigned\n\n2\n00:00:00,000 --> 00:00:09,000\ngood\n",
    "many-angles.srt": "1\n00:00:00,000 --> 00:00:09,000\n" + "<" * 300000 + "\n\n2\n00:00:00,000 --> 00:00:09,000\ngood\n",
    "no-blank-lines.srt": "".join(f"{i}\n00:00:00,000 --> 00:00:09,000\nline {i}\n" for i in range(1, 20001)),
}
for name, text in srt.items():
    write("srt/" + name, text.encode())
write("srt/binary.srt", bytes((i * 31 + 7) % 256 for i in range(20000)))
write("srt/empty.srt", b"")

# --- LongVideoBench subtitles (JSON). ---
write("lvb/subtitles/deep.json", b"[" * 100000)
write("lvb/subtitles/huge-times.json", b'[{"timestamp":[1e308,1e309],"text":"inf"},{"start":"99999999999999999999:00:00","end":"nan:nan:nan","line":"x"}]')
write("lvb/subtitles/not-a-list.json", b'{"a":1}')
write("lvb/subtitles/good.json", b'[{"timestamp":[0.0,100.0],"text":"hello"}]')
with open(os.path.join(out, "lvb/subtitles/big.json"), "wb") as f:
    f.truncate((64 << 20) + 1)  # sparse: one byte over the limit
os.makedirs(os.path.join(out, "lvb/subtitles/dir.json"), exist_ok=True)
fifo = os.path.join(out, "lvb/subtitles/fifo.json")
if not os.path.exists(fifo):
    os.mkfifo(fifo)
